#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing

import TrackingCore

/// Arbitrary input never crashes or hangs the search language: every string parses or fails with
/// a 400. CI runs a short pass; `SEARCH_FUZZ_ITERATIONS=1000000 swift test --filter SearchFuzz`
/// runs the long one.
@Suite("Search language under arbitrary input")
struct SearchFuzzTests {
    /// Fragments that reach every lexer rule and grouping step, mixed with random characters.
    static let fragments: [String] = [
        "metrics.", "params.", "tags.", "attributes.", "datasets.", "run.", "attr.", "`", "\"", "'", "''", "\\",
        "(", ")", "[", "]", ",", ";", ".", " ", "\t", "\n", "\r", "=", "!=", "<", "<=", ">", ">=", "<<", "==", "<>",
        "LIKE", "ILIKE", "NOT", "IN", "IS", "NULL", "AND", "OR", "and", "in", "not", "is", "-", "--", "# ", "/*",
        "*/", "$$", "$a$", "0x1", "1", "-1.5e3", ".5", "1.", "1e", "name", "x", "loss", "run_id", "status",
        "start_time", "created", "run name", "DESC", "ASC", "NULLS LAST", "timestamp", "DATE", "::", ":=", "*",
        "%s", "?", ":a", "@x", "##y", "é", "٣", "\u{0}", "😀", "end", "case", "select", "as", "DIV", "/", "+",
        "'a'", "('a', 'b')", "(1, 2)", "(r'x')", "(b'x')", "({'a': 1})", "((((", "))))",
    ]

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func input(_ random: inout Generator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...14, using: &random) {
            if Int.random(in: 0..<5, using: &random) == 0 {
                text.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &random)))
            } else {
                text += fragments.randomElement(using: &random)!
            }
        }
        return text
    }

    @Test func arbitraryStringsParseOrFailWithA400() {
        let iterations = Int(ProcessInfo.processInfo.environment["SEARCH_FUZZ_ITERATIONS"] ?? "") ?? 20_000
        var random = Generator(state: 20_261_128)
        var accepted = 0
        for _ in 0..<iterations {
            let text = Self.input(&random)
            do {
                _ = try RunSearch(
                    experimentIds: ["1"], filter: text, orderBy: [text], viewType: .all, maxResults: 10, pageToken: text)
                accepted += 1
            } catch {
                #expect(error.code == .invalidParameterValue)
            }
            do {
                _ = try ExperimentSearch(filter: text, orderBy: [], viewType: .all, maxResults: 10, pageToken: nil)
            } catch {
                #expect(error.code == .invalidParameterValue)
            }
            _ = try? SearchFilterParser(.runs).parse(text)
        }
        // Most random strings are malformed; the point is that none crashed.
        #expect(accepted < iterations)
    }

    /// A large differential sample recorded from MLflow (generate_cases.py with RANDOM_JSON): same
    /// outcome and same message for every input. Runs when SEARCH_DIFF_FILE names that file.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SEARCH_DIFF_FILE"] != nil))
    func agreesWithMLflowOnARecordedSample() throws {
        let path = ProcessInfo.processInfo.environment["SEARCH_DIFF_FILE"]!
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard case .array(let records) = try JSONParser.parse(Array(data)) else { throw TrackingError(.internalError, "bad file") }
        var mismatches = 0
        for record in records {
            guard case .string(let kind)? = record["kind"], case .string(let input)? = record["input"] else { continue }
            var expected: String?
            if case .string(let message)? = record["error"] { expected = message }
            var actual: String?
            do {
                if kind == "filter" { _ = try SearchFilterParser(.runs).parse(input) } else { _ = try SearchOrderByParser(.runs).parse(input) }
            } catch {
                actual = error.message
            }
            if actual != expected {
                mismatches += 1
                if mismatches <= 20 { Issue.record(Comment(rawValue: "\(kind) \(PythonRepr.string(input)): MLflow \(expected ?? "ok"), ours \(actual ?? "ok")")) }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(records.count) differ")
    }

    @Test func deepAndLongInputsAreRefusedNotRecursedInto() throws {
        let deep = "attributes.run_id IN " + String(repeating: "(", count: 5000) + "'a'" + String(repeating: ")", count: 5000)
        #expect(throws: TrackingError.invalidParameter("Error on parsing filter '\(deep)'")) {
            try SearchFilterParser(.runs).parse(deep)
        }
        let ids = (0..<3000).map { "'id\($0)'" }.joined(separator: ", ")
        #expect(try SearchFilterParser(.runs).parse("attributes.run_id IN (\(ids))").first?.value.listCount == 3000)
        let tooMany = (0..<3400).map { "'id\($0)'" }.joined(separator: ", ")
        #expect(throws: TrackingError.self) { try SearchFilterParser(.runs).parse("attributes.run_id IN (\(tooMany))") }
        let longString = "tags.x = '" + String(repeating: "ab''\\'", count: 20_000) + "'"
        #expect(try SearchFilterParser(.runs).parse(longString).count == 1)
    }
}

extension SearchValue {
    fileprivate var listCount: Int? {
        if case .list(let items) = self { return items.count }
        return nil
    }
}
