import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The data step of MLflow 3.18.0's revision `8b6ad64cb8f5`, ported from its Python: every issue's
/// `categories` (a JSON list of strings) becomes rows of `issue_categories`, one per distinct
/// category, keyed by the SHA-256 of the category trimmed and lowercased.
package enum IssueCategoryBackfill {
    struct UnreadableCategories: Error, CustomStringConvertible {
        let issueId: String
        var description: String {
            "Cannot migrate issue '\(issueId)': its categories are not a JSON list of strings "
                + "(MLflow's migration fails on it as well)."
        }
    }

    @Sendable static func apply(on connection: any SQLConnection) async throws {
        let rows = try await connection.query("SELECT issue_id, categories FROM issues WHERE categories IS NOT NULL", [])
        for row in rows {
            guard let issueId = row.string(0), let text = row.string(1) else { continue }
            guard let categories = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw UnreadableCategories(issueId: issueId)
            }
            for (hash, category) in distinct(categories) {
                try await connection.execute(
                    "INSERT INTO issue_categories (issue_id, category_hash, category) VALUES (?, ?, ?)",
                    [.text(issueId), .text(hash), .text(category)])
            }
        }
    }

    /// Python's `{sha256(c.strip().lower()): c for c in categories}`: one entry per hash, the
    /// category seen last for it, in the order the hashes first appear.
    static func distinct(_ categories: [String]) -> [(hash: String, category: String)] {
        var order: [String] = []
        var latest: [String: String] = [:]
        for category in categories {
            let hash = self.hash(category)
            if latest.updateValue(category, forKey: hash) == nil { order.append(hash) }
        }
        return order.map { ($0, latest[$0]!) }
    }

    /// `hashlib.sha256(category.strip().lower().encode()).hexdigest()`.
    package static func hash(_ category: String) -> String {
        let digest = SHA256.hash(data: Array(pythonStrip(category).lowercased().utf8))
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }

    /// `str.strip()`: Python's whitespace is Unicode's White_Space plus the separators U+001C–U+001F.
    static func pythonStrip(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
