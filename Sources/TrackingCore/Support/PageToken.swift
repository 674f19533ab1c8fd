import Foundation

/// Page tokens in MLflow's format, base64 of `{"offset": N}`, so a token from either server works
/// on the other. A token that does not decode is the user's error, never a crash.
package enum PageToken {
    package static func make(offset: Int) -> String {
        Data("{\"offset\": \(offset)}".utf8).base64EncodedString()
    }

    package static func offset(from token: String?) throws -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw TrackingError.invalidParameter("Invalid page token, could not base64-decode")
        }
        guard let token = try? JSONDecoder().decode(OffsetToken.self, from: Data(text.utf8)) else {
            throw TrackingError.invalidParameter("Invalid page token, decoded value=\(text)")
        }
        guard token.offset >= 0 else {
            throw TrackingError.invalidParameter("Invalid page token, offset must be a non-negative integer, got \(token.offset)")
        }
        return token.offset
    }

    private struct OffsetToken: Decodable {
        let offset: Int
    }
}
