import TrackingCore

/// The shape MLflow's search handlers share (`runs/search`, `experiments/search`,
/// `registered-models/search`, `model-versions/search`, `logged-models/search`): the `max_results`
/// check before the search is built, then one page of items and its `next_page_token`.
enum SearchPaging {
    /// `max_results`, `defaultValue` when absent; above `limit` MLflow's handler refuses the raw
    /// value as sent, before the search itself checks anything else.
    static func maxResults(_ request: RequestParams, default defaultValue: Int, limit: Int) throws -> Int {
        let maxResults = try SearchAPI.int(request, "max_results") ?? defaultValue
        if maxResults > limit, let raw = request.fields["max_results"] {
            throw TrackingError.invalidValue("max_results", value: raw.pythonJSON, pythonType: raw.pythonTypeName)
        }
        return maxResults
    }

    /// `{"<key>": [...], "next_page_token": "..."}`: runs the search, then writes each item with
    /// `item`. An empty page has no array at all, as protobuf's JSON omits an empty repeated field,
    /// and a last page no token.
    /// - Parameter bytesPerItem: a guess at one item's JSON size, to reserve the response at once.
    static func response<Item: Sendable>(
        _ key: StaticString, bytesPerItem: Int, _ search: () async throws -> SearchPage<Item>,
        item: (inout JSONWriter, Item) -> Void
    ) async throws -> JSONWriter {
        let page = try await search()
        var writer = JSONWriter(capacity: 256 + page.items.count * bytesPerItem)
        writer.beginObject()
        if !page.items.isEmpty {
            writer.key(key)
            writer.beginArray()
            for element in page.items { item(&writer, element) }
            writer.endArray()
        }
        writer.field("next_page_token", page.nextPageToken)
        writer.endObject()
        return writer
    }
}
