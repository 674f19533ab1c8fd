/// Everything `tracking-server server` needs to run, after options and environment are resolved.
package struct ServerConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var backendStoreURI: String
    package var defaultArtifactRoot: String
    /// Where MLflow's UI files come from.
    package var uiBundle: UIBundleSource
    package var security: SecuritySettings
    package var graphQLLimits: GraphQLQueryLimits

    package init(
        host: String, port: Int, backendStoreURI: String, defaultArtifactRoot: String, uiBundle: UIBundleSource = .fixed(nil),
        security: SecuritySettings = SecuritySettings(), graphQLLimits: GraphQLQueryLimits = GraphQLQueryLimits()
    ) {
        self.host = host
        self.port = port
        self.backendStoreURI = backendStoreURI
        self.defaultArtifactRoot = defaultArtifactRoot
        self.uiBundle = uiBundle
        self.security = security
        self.graphQLLimits = graphQLLimits
    }
}
