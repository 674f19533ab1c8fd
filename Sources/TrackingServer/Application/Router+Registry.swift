import Hummingbird
import TrackingCore

/// The model registry's and logged models' endpoints, kept apart from the tracking ones.
func registryEndpoints(store: any ServerStore) -> [Endpoint] {
    RegisteredModelsAPI(store: store).endpoints + ModelVersionsAPI(store: store).endpoints
        + LoggedModelsAPI(store: store).endpoints
}

/// `logged-models/{model_id}` as Hummingbird's `logged-models/:model_id`, and the parameter names.
func pathParameters(_ path: String) -> (String, [String]) {
    var names: [String] = []
    let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
        guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
        let name = String(segment.dropFirst().dropLast())
        names.append(name)
        return ":" + name
    }
    return (segments.joined(separator: "/"), names)
}
