#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import TrackingCore

/// The web UI: `GET /` answers the bundle's `index.html` (revalidated on each load, since it names
/// the current hashed files) and `/static-files/...` its files. Without a bundle, `/` explains how
/// to get one; the API works either way.
struct UIRoutes: Sendable {
    let bundle: Task<UIBundle?, Never>

    func add(to router: Router<BasicRequestContext>) {
        let files = StaticFiles()
        let bundle = self.bundle
        router.get("/") { _, _ in
            guard let bundle = await bundle.value else {
                return Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: MissingUIPage.html)))
            }
            guard let index = FileManager.default.contents(atPath: bundle.directory + "/index.html") else {
                throw HTTPError(.notFound)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: index)))
        }
        router.get("/static-files/**") { request, context in
            guard let bundle = await bundle.value else { throw HTTPError(.notFound) }
            let relative = String(request.uri.path.dropFirst("/static-files/".count)).removingPercentEscapes
            return try await files.response(bundle: bundle, relativePath: relative, request: request, context: context)
        }
    }
}

/// What `/` shows when no UI bundle was found.
enum MissingUIPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>MLflow tracking server</title></head>
        <body style="font-family: sans-serif; max-width: 48em; margin: 3em auto">
        <h1>MLflow tracking server</h1>
        <p>The tracking API is running (<code>/api/2.0/mlflow/...</code>), but no web UI bundle was found.</p>
        <p>The UI is MLflow's own, shipped inside the <code>mlflow</code> Python package. Either install it for
        the Python on this server's <code>PATH</code> (<code>pip install mlflow==3.18.0</code>) and restart, or
        point the server at the bundle directory:</p>
        <pre>tracking-server server --static-ui-dir /path/to/site-packages/mlflow/server/js/build</pre>
        <p>(also <code>MLFLOW_STATIC_UI_DIR</code>). The container image includes it.</p>
        </body></html>
        """
}
