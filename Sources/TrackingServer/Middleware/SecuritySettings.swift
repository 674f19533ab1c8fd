import HTTPTypes
import TrackingCore

/// The security options of `mlflow server` (`--allowed-hosts`, `--cors-allowed-origins`,
/// `--x-frame-options`) with MLflow's defaults: localhost and private-network hosts, localhost
/// origins, `SAMEORIGIN`.
package struct SecuritySettings: Sendable, Equatable {
    /// Host patterns a request's Host header must match; nil accepts any host (`*`).
    var allowedHosts: [HostPattern]?
    /// Origins allowed beyond localhost; `*` allows every origin without credentials.
    var allowedOrigins: [String]
    var xFrameOptions: String?

    static let invalidHostMessage = "Invalid Host header - possible DNS rebinding attack detected"
    static let corsBlockedMessage = "Cross-origin request blocked"
    static let healthPaths: Set<String> = ["/health", "/version"]

    /// - Parameters:
    ///   - allowedHosts: comma-separated patterns, or nil for MLflow's default list.
    ///   - corsAllowedOrigins: comma-separated origins, or nil for localhost only.
    ///   - xFrameOptions: the header's value; `NONE` leaves it out. Default `SAMEORIGIN`.
    package init(allowedHosts: String? = nil, corsAllowedOrigins: String? = nil, xFrameOptions: String? = nil) {
        let hosts = Self.list(allowedHosts) ?? Self.defaultAllowedHosts
        self.allowedHosts = hosts.contains("*") ? nil : hosts.map(HostPattern.init)
        allowedOrigins = Self.list(corsAllowedOrigins) ?? []
        let frame = (xFrameOptions ?? "SAMEORIGIN").uppercased()
        self.xFrameOptions = frame.isEmpty || frame == "NONE" ? nil : frame
    }

    private static func list(_ text: String?) -> [String]? {
        guard let text, !text.isEmpty else { return nil }
        return text.split(separator: ",").map { String($0).trimmedWhitespace }
    }

    /// MLflow's default: loopback names with any port, and the private address ranges.
    static let defaultAllowedHosts: [String] = {
        let local = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]
        let withPorts = local.map { $0.hasPrefix("[") ? "[[]" + $0.dropFirst() + ":*" : $0 + ":*" }
        let private172 = (16..<32).map { "172.\($0).*" }
        return local + withPorts + ["192.168.*", "10.*"] + private172 + ["fc00:*", "fd00:*"]
    }()

    /// Whether a Host header passes the check (always, when any host is allowed).
    package func allowsHost(_ host: String) -> Bool {
        guard let allowedHosts else { return true }
        return !host.isEmpty && allowedHosts.contains { $0.matches(host) }
    }

    var allowsAnyOrigin: Bool { allowedOrigins.contains("*") }

    static func isAPI(_ path: String) -> Bool {
        (path.hasPrefix("/api/") || path.hasPrefix("/ajax-api/")) && path != "/api/test"
    }

    static func isLocalhost(origin: String) -> Bool {
        guard let schemeEnd = origin.firstRange(of: "://") else { return false }
        var hostPort = origin[schemeEnd.upperBound...]
        if let slash = hostPort.firstIndex(of: "/") { hostPort = hostPort[..<slash] }
        let host: Substring
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return false }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
        } else {
            host = hostPort.split(separator: ":", maxSplits: 1).first ?? ""
        }
        return ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }

    /// MLflow's `should_block_cors_request`: state-changing calls from an origin that is neither
    /// localhost nor allowed.
    func blocks(origin: String, method: HTTPRequest.Method) -> Bool {
        guard [.post, .put, .delete, .patch].contains(method), !origin.isEmpty else { return false }
        if Self.isLocalhost(origin: origin) { return false }
        return !allowedOrigins.contains { HostPattern(pattern: $0).matches(origin) }
    }

    /// Whether responses to this origin carry CORS headers (flask-cors' origin list).
    func allowsCORS(origin: String) -> Bool {
        if allowsAnyOrigin { return true }
        if Self.isLocalhostOriginPattern(origin) { return true }
        return allowedOrigins.contains { HostPattern(pattern: $0).matches(origin) }
    }

    /// `^http://(localhost|127.0.0.1|[::1])(:port)?$`, MLflow's localhost origin patterns.
    private static func isLocalhostOriginPattern(_ origin: String) -> Bool {
        for host in ["http://localhost", "http://127.0.0.1", "http://[::1]"] where origin.hasPrefix(host) {
            let rest = origin.dropFirst(host.count)
            if rest.isEmpty { return true }
            if rest.first == ":", rest.count > 1, rest.dropFirst().allSatisfy(\.isASCIIDigitForPort) { return true }
        }
        return false
    }
}

extension Character {
    fileprivate var isASCIIDigitForPort: Bool { ("0"..."9").contains(self) }
}
