/// The small fixed endpoints clients probe: health, version, and the 3.x server-info.
enum ServerInfoAPI {
    /// The newest MLflow release whose API we implement (the 3.18.0 client calls nothing 3.17.2's
    /// does not, for what we serve). Clients gate features on it: `log_spans` needs 3.4 or later.
    static let mlflowVersion = "3.18.0"

    /// What `GET /api/3.0/mlflow/server-info` reports: a SQL store, no workspaces, no artifact proxy.
    static func serverInfo() -> JSONWriter {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("store_type", "SqlStore")
        for flag: StaticString in [
            "workspaces_enabled", "trace_archival_enabled", "multipart_uploads_enabled", "multipart_downloads_enabled",
        ] {
            writer.key(flag)
            writer.bool(false)
        }
        writer.key("presigned_upload_run_id_supported")
        writer.bool(false)
        writer.key("presigned_upload_model_id_supported")
        writer.bool(false)
        writer.key("features_enabled")
        writer.beginObject()
        writer.key("gateway")
        writer.bool(false)
        writer.endObject()
        writer.endObject()
        return writer
    }
}
