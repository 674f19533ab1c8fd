/// Everything `tracking-server server` needs to run, after options and environment are resolved.
package struct ServerConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var backendStoreURI: String
    package var defaultArtifactRoot: String

    package init(host: String, port: Int, backendStoreURI: String, defaultArtifactRoot: String) {
        self.host = host
        self.port = port
        self.backendStoreURI = backendStoreURI
        self.defaultArtifactRoot = defaultArtifactRoot
    }
}
