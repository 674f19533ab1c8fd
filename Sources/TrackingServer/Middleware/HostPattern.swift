/// Python's `fnmatch` as MLflow applies it to Host headers and origins: `*`, `?` and `[...]`
/// classes (`[!...]` negated), case-sensitive as on POSIX.
struct HostPattern: Sendable, Equatable {
    let pattern: String

    func matches(_ text: String) -> Bool {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else { return pattern == text }
        return Self.match(Array(pattern), 0, Array(text), 0)
    }

    private static func match(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
        var pi = pi
        var ti = ti
        while pi < p.count {
            switch p[pi] {
            case "*":
                // Collapse runs of stars, then try every split point.
                while pi < p.count, p[pi] == "*" { pi += 1 }
                if pi == p.count { return true }
                for start in ti...t.count where match(p, pi, t, start) { return true }
                return false
            case "?":
                guard ti < t.count else { return false }
                pi += 1
                ti += 1
            case "[":
                guard let (matched, next) = matchClass(p, pi, ti < t.count ? t[ti] : nil) else {
                    // An unclosed bracket is a literal, as in fnmatch.
                    guard ti < t.count, t[ti] == "[" else { return false }
                    pi += 1
                    ti += 1
                    continue
                }
                guard ti < t.count, matched else { return false }
                pi = next
                ti += 1
            default:
                guard ti < t.count, t[ti] == p[pi] else { return false }
                pi += 1
                ti += 1
            }
        }
        return ti == t.count
    }

    /// Whether `character` is in the class starting at `p[start]` (a `[`), and the index after it;
    /// nil when the class is not closed.
    private static func matchClass(_ p: [Character], _ start: Int, _ character: Character?) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count, p[i] == "!" {
            negate = true
            i += 1
        }
        var members: [ClosedRange<Character>] = []
        var first = true
        while i < p.count, p[i] != "]" || first {
            first = false
            if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                if p[i] <= p[i + 2] { members.append(p[i]...p[i + 2]) }
                i += 3
            } else {
                members.append(p[i]...p[i])
                i += 1
            }
        }
        guard i < p.count else { return nil }
        let contained = character.map { c in members.contains { $0.contains(c) } } ?? false
        return (contained != negate, i + 1)
    }
}
