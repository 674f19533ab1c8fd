import HTTPTypes
import TrackingCore

/// `runs/search` and `experiments/search`: request fields read as MLflow's protobuf parsing and
/// schema checks read them; the search language itself lives in TrackingCore.
package struct SearchAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "runs/search", searchRuns),
            Endpoint(.get, "experiments/search", searchExperiments),
            Endpoint(.post, "experiments/search", searchExperiments),
        ]
    }

    @Sendable func searchRuns(_ request: RequestParams) async throws -> JSONWriter {
        let maxResults = try SearchPaging.maxResults(
            request, default: RunSearch.defaultMaxResults, limit: RunSearch.maxResultsLimit)
        let search = try RunSearch(
            experimentIds: try Self.experimentIds(request),
            filter: try request.optionalString("filter") ?? "",
            orderBy: try request.stringList("order_by"),
            viewType: Self.viewType(request, "run_view_type"),
            maxResults: maxResults,
            pageToken: Self.pageToken(request))
        return try await SearchPaging.response("runs", bytesPerItem: 2048, { try await store.searchRuns(search) }) {
            $0.run($1, withOutputs: true)
        }
    }

    @Sendable func searchExperiments(_ request: RequestParams) async throws -> JSONWriter {
        switch request.fields["page_token"] {
        case nil, .null?, .string?: break
        case let token?: throw TrackingError.invalidValue("page_token", value: token.pythonJSON, pythonType: token.pythonTypeName)
        }
        let search = try ExperimentSearch(
            filter: try request.optionalString("filter") ?? "",
            orderBy: try request.stringList("order_by"),
            viewType: Self.viewType(request, "view_type"),
            // An absent max_results is proto3's 0, which MLflow then refuses.
            maxResults: try Self.int(request, "max_results") ?? 0,
            pageToken: Self.pageToken(request))
        return try await SearchPaging.response("experiments", bytesPerItem: 512, { try await store.searchExperiments(search) }) {
            $0.experiment($1)
        }
    }

    /// An int field (a JSON number or a numeric string), or MLflow's message for anything else.
    static func int(_ request: RequestParams, _ name: String) throws -> Int? {
        guard let raw = request.fields[name], raw != .null else { return nil }
        guard let value = RequestParams.int64(raw), let n = Int(exactly: value) else {
            throw TrackingError.invalidValue(name, value: raw.pythonJSON, pythonType: raw.pythonTypeName)
        }
        return n
    }

    /// `experiment_ids`: strings. Numbers make MLflow's protobuf parsing give up on the field, so the
    /// search has no experiments and finds nothing; anything but a list is a 400.
    static func experimentIds(_ request: RequestParams) throws -> [String] {
        switch request.fields["experiment_ids"] {
        case .array(let items)?:
            let ids = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            return ids.count == items.count ? ids : []
        default:
            return try request.stringList("experiment_ids")
        }
    }

    /// A view type by name or number; an unknown one is ignored, as protobuf's parser does.
    static func viewType(_ request: RequestParams, _ name: String) -> ViewType {
        switch request.fields[name] {
        case .string(let s)?: ViewType(name: s) ?? Int(s).flatMap(ViewType.init(rawValue:)) ?? .activeOnly
        case .int(let n)?: ViewType(rawValue: Int(n)) ?? .activeOnly
        default: .activeOnly
        }
    }

    /// A page token that is not a string is dropped, as MLflow's parser drops it.
    static func pageToken(_ request: RequestParams) -> String? {
        if case .string(let s)? = request.fields["page_token"], !s.isEmpty { return s }
        return nil
    }
}
