import Foundation
import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

/// The UI bundle's files, the page shown without one, and MLflow's security headers and checks.
@Suite("web UI and security")
struct WebUITests {
    /// A small stand-in for MLflow's bundle: index.html and one script big enough to compress.
    static func makeBundle() throws -> UIBundle {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("static/js"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>MLflow</title>".utf8).write(to: root.appendingPathComponent("index.html"))
        let script = String(repeating: "console.log('mlflow');\n", count: 500)
        try Data(script.utf8).write(to: root.appendingPathComponent("static/js/main.abc.js"))
        return try #require(UIBundle(directory: root.path))
    }

    @Test func indexAndStaticFiles() async throws {
        let bundle = try Self.makeBundle()
        defer { try? FileManager.default.removeItem(atPath: bundle.directory) }
        try await TestServer.run(uiBundle: bundle) { api in
            let index = try await api.send("/", method: .get, body: nil)
            #expect(index.status == 200)
            #expect(index.text.contains("<title>MLflow</title>"))
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            #expect(index.headers[.cacheControl] == "no-cache")

            let plain = try await api.send("/static-files/static/js/main.abc.js", method: .get, body: nil)
            #expect(plain.status == 200)
            #expect(plain.text.hasPrefix("console.log"))
            #expect(plain.headers[.contentType]?.hasPrefix("text/javascript") == true || plain.headers[.contentType]?.hasPrefix("application/javascript") == true)
            #expect(plain.headers[.cacheControl] == "public, max-age=2419200")
            #expect(plain.headers[.contentEncoding] == nil)

            let gzip = try await api.send(
                "/static-files/static/js/main.abc.js", method: .get, body: nil, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(gzip.headers[.contentEncoding] == "gzip")
            #expect(gzip.bytes.prefix(2) == [0x1f, 0x8b])
            #expect(gzip.bytes.count < plain.bytes.count / 10)
            let etag = try #require(gzip.headers[.eTag])
            let revalidated = try await api.send(
                "/static-files/static/js/main.abc.js", method: .get, body: nil,
                headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag])
            #expect(revalidated.status == 304)

            #expect(try await api.send("/static-files/static/js/missing.js", method: .get, body: nil).status == 404)
            #expect(try await api.send("/static-files/../index.html", method: .get, body: nil).status == 404)
            #expect(try await api.send("/static-files/static/%2e%2e/%2e%2e/index.html", method: .get, body: nil).status == 404)
        }
    }

    @Test func withoutBundleTheRootExplains() async throws {
        try await TestServer.run { api in
            let page = try await api.send("/", method: .get, body: nil)
            #expect(page.status == 200)
            #expect(page.text.contains("--static-ui-dir"))
            #expect(try await api.get("experiments/search?max_results=5").status == 200)
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await TestServer.run(security: SecuritySettings()) { api in
            for path in ["/health", "/api/2.0/mlflow/experiments/search?max_results=1", "/nope"] {
                let response = try await api.send(path, method: .get, body: nil)
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(response.headers[.init("X-Frame-Options")!] == "SAMEORIGIN", "\(path)")
            }
        }
        try await TestServer.run(security: SecuritySettings(xFrameOptions: "none")) { api in
            let health = try await api.send("/health", method: .get, body: nil)
            #expect(health.headers[.init("X-Frame-Options")!] == nil)
        }
    }

    @Test func hostHeaderChecked() async throws {
        // The router test client always sends Host: localhost.
        try await TestServer.run(security: SecuritySettings(allowedHosts: "mlflow.example.com, 10.*")) { api in
            let refused = try await api.get("experiments/search?max_results=1")
            #expect(refused.status == 403)
            #expect(refused.text == "Invalid Host header - possible DNS rebinding attack detected")
            #expect(try await api.send("/health", method: .get, body: nil).status == 200)
        }
        try await TestServer.run(security: SecuritySettings()) { api in
            let allowed = try await api.get("experiments/search?max_results=1")
            #expect(allowed.status == 200)
        }
    }

    @Test func crossOriginWritesRefused() async throws {
        try await TestServer.run(security: SecuritySettings(corsAllowedOrigins: "https://ok.example.com")) { api in
            let body = #"{"name": "cors"}"#
            let foreign = try await api.send(
                "/api/2.0/mlflow/experiments/create", method: .post, body: body, headers: [.origin: "https://evil.example.com"])
            #expect(foreign.status == 403)
            #expect(foreign.text == "Cross-origin request blocked")
            let allowed = try await api.send(
                "/api/2.0/mlflow/experiments/create", method: .post, body: body, headers: [.origin: "https://ok.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://ok.example.com")
            let local = try await api.send(
                "/api/2.0/mlflow/experiments/search?max_results=1", method: .get, body: nil, headers: [.origin: "http://localhost:3000"])
            #expect(local.headers[.accessControlAllowOrigin] == "http://localhost:3000")
            let preflight = try await api.send(
                "/api/2.0/mlflow/experiments/create", method: .options, body: nil,
                headers: [.origin: "http://localhost:3000", .accessControlRequestHeaders: "content-type"])
            #expect(preflight.status == 204)
            #expect(preflight.headers[.accessControlAllowHeaders] == "content-type")
        }
    }

    @Test func hostPatternsMatchLikeFnmatch() {
        let defaults = SecuritySettings()
        for host in ["localhost", "localhost:5000", "127.0.0.1:8080", "[::1]:5000", "10.1.2.3:5000", "172.20.0.5", "192.168.1.1:5000"] {
            #expect(defaults.allowsHost(host), "\(host)")
        }
        for host in ["evil.com", "localhost.evil.com", "172.32.0.1", "11.0.0.1", ""] {
            #expect(!defaults.allowsHost(host), "\(host)")
        }
        let custom = SecuritySettings(allowedHosts: "mlflow-*.svc:5000,[ab]x?.example.com")
        #expect(custom.allowsHost("mlflow-tracking.svc:5000"))
        #expect(custom.allowsHost("bx1.example.com"))
        #expect(!custom.allowsHost("cx1.example.com"))
        #expect(SecuritySettings(allowedHosts: "*").allowsHost("anything"))
    }
}
