#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// The page token of `metrics/get-history`: MLflow's `{"offset": N}`, plus the sort key of the
/// last point sent so the next page can start right after it. MLflow reads the offset and
/// ignores the rest; a bare MLflow token is served by offset.
struct HistoryPageToken: Codable {
    struct Position: Codable {
        var timestamp: Int64
        var step: Int64
        var value: Double
        var isNaN: Bool

        enum CodingKeys: String, CodingKey {
            case timestamp, step, value
            case isNaN = "is_nan"
        }
    }

    var offset: Int
    var last: Position?

    init(offset: Int, last: Position?) {
        self.offset = offset
        self.last = last
    }

    init(_ token: String?) throws {
        guard let token, !token.isEmpty else {
            self.init(offset: 0, last: nil)
            return
        }
        guard let data = Data(base64Encoded: token) else {
            throw TrackingError.invalidParameter("Invalid page token, could not base64-decode")
        }
        guard let decoded = try? JSONDecoder().decode(HistoryPageToken.self, from: data), decoded.offset >= 0 else {
            throw TrackingError.invalidParameter("Invalid page token, decoded value=\(String(decoding: data, as: UTF8.self))")
        }
        self = decoded
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ((try? encoder.encode(self)) ?? Data()).base64EncodedString()
    }
}
