/// sqlparse's grouping pass (`sqlparse.engine.grouping.group`), for the top level of a statement:
/// which tokens become identifiers, comparisons, parentheses, ... decides what MLflow accepts as a
/// clause and what its "Invalid clause(s)" message lists. Groups inside parentheses are not
/// refined further because nothing MLflow reads depends on them (a list's text is re-parsed).
///
/// sqlparse asks two kinds of type question: a single type matches its subtypes, a tuple of types
/// matches exactly; the predicates below keep that distinction.
enum FilterGrouping {
    typealias Kind = FilterNode.Kind

    static func group(_ tokens: [FilterNode]) throws(FilterStatement.TooComplex) -> [FilterNode] {
        var list = tokens
        groupComments(&list)
        try groupMatching(&list, open: "[", close: "]", kind: .squareBrackets)
        try groupMatching(&list, open: "(", close: ")", kind: .parenthesis)
        groupFunctions(&list)
        groupPeriods(&list)
        groupArrays(&list)
        groupIdentifiers(&list)
        groupOrder(&list)
        groupTypecasts(&list)
        groupTypedLiterals(&list)
        groupOperators(&list)
        groupComparisons(&list)
        groupAs(&list)
        groupAliased(&list)
        groupAssignments(&list)
        alignComments(&list)
        groupIdentifierLists(&list)
        return list
    }

    // MARK: the passes, in sqlparse's order

    /// Runs of comments (up to the token before the next non-comment) become one comment group.
    private static func groupComments(_ list: inout [FilterNode]) {
        var index = list.firstIndex { $0.type?.isComment == true }
        while let start = index {
            guard let end = list[start...].firstIndex(where: { $0.type?.isComment != true && $0.type != .newline }) else { break }
            groupTokens(&list, .comment, start, end - 1)
            index = list[(start + 1)...].firstIndex { $0.type?.isComment == true }
        }
    }

    /// Balanced brackets become one group; nesting deeper than sqlparse allows is refused.
    private static func groupMatching(_ list: inout [FilterNode], open: String, close: String, kind: Kind)
        throws(FilterStatement.TooComplex)
    {
        let snapshot = list
        var opens: [Int] = []
        var offset = 0
        for (idx, token) in snapshot.enumerated() {
            let tidx = idx - offset
            if token.isWhitespace || token.isGroup { continue }
            if token.type == .punctuation, token.text == open {
                opens.append(tidx)
                if opens.count > FilterStatement.maxDepth { throw FilterStatement.TooComplex() }
            } else if token.type == .punctuation, token.text == close, let start = opens.popLast() {
                groupTokens(&list, kind, start, tidx)
                offset += tidx - start
            }
        }
    }

    /// A name directly followed by a parenthesis is a function call.
    private static func groupFunctions(_ list: inout [FilterNode]) {
        var index = 0
        while index < list.count {
            if list[index].type?.isNameFamily == true, let next = nextIndex(list, after: index),
                list[next].kind == .parenthesis
            {
                groupTokens(&list, .function, index, next)
            }
            index += 1
        }
    }

    /// `a.b`, `a . b`, `a.'b'`, `a.b.c`: one identifier.
    private static func groupPeriods(_ list: inout [FilterNode]) {
        pairs(
            &list, .identifier,
            match: { ($0.type == .punctuation && $0.text == ".") || ($0.type == .operator && ($0.text == "->" || $0.text == "->>")) },
            validPrev: { $0.kind == .squareBrackets || $0.kind == .identifier || $0.type == .name || $0.type == .stringSymbol },
            validNext: { _ in true },
            post: { list, pidx, tidx, nidx in
                guard let nidx else { return (pidx, tidx) }
                let next = list[nidx]
                let valid = next.kind == .squareBrackets || next.kind == .function
                    || [.name, .stringSymbol, .wildcard, .stringSingle].contains(next.type)
                return valid ? (pidx, nidx) : (pidx, tidx)
            },
            extend: true)
    }

    /// `a[1]`: brackets after an identifier index it.
    private static func groupArrays(_ list: inout [FilterNode]) {
        pairs(
            &list, .identifier, match: { $0.kind == .squareBrackets },
            validPrev: { [.squareBrackets, .identifier, .function].contains($0.kind) || $0.type == .name || $0.type == .stringSymbol },
            validNext: { _ in true }, post: { _, pidx, tidx, _ in (pidx, tidx) }, extend: true)
    }

    /// Every remaining plain name or double-quoted string is an identifier.
    private static func groupIdentifiers(_ list: inout [FilterNode]) {
        for index in list.indices where list[index].type == .name || list[index].type == .stringSymbol {
            list[index] = FilterNode(.identifier, [list[index]])
        }
    }

    /// `x ASC` / `x DESC`: the ordering joins the identifier (or number) before it.
    private static func groupOrder(_ list: inout [FilterNode]) {
        var index = 0
        while index < list.count {
            if list[index].type == .keywordOrder, let prev = previousIndex(list, before: index),
                list[prev].kind == .identifier || list[prev].type?.isNumberFamily == true
            {
                groupTokens(&list, .identifier, prev, index)
                index = prev
            }
            index += 1
        }
    }

    private static func groupTypecasts(_ list: inout [FilterNode]) {
        pairs(
            &list, .identifier, match: { $0.type == .punctuation && $0.text == "::" }, validPrev: { _ in true },
            validNext: { $0 != nil }, post: { _, pidx, _, nidx in (pidx, nidx!) }, extend: true)
    }

    /// `DATE '2020-01-01'` (a type name and a string), optionally followed by a unit (`DAY`, ...).
    private static func groupTypedLiterals(_ list: inout [FilterNode]) {
        pairs(
            &list, .typedLiteral, match: { $0.type == .builtin }, validPrev: { _ in true },
            validNext: { $0?.type == .stringSingle }, post: { _, _, tidx, nidx in (tidx, nidx!) }, extend: false)
        pairs(
            &list, .typedLiteral, match: { $0.kind == .typedLiteral }, validPrev: { _ in true },
            validNext: { $0?.isKeyword("DAY", "HOUR", "MINUTE", "MONTH", "SECOND", "YEAR") ?? false },
            post: { _, _, tidx, nidx in (tidx, nidx!) }, extend: true)
    }

    /// `a-b`, `a/b`, `a*b`: an operation.
    private static func groupOperators(_ list: inout [FilterNode]) {
        let valid: (FilterNode?) -> Bool = { node in
            guard let node else { return false }
            return [.squareBrackets, .parenthesis, .function, .identifier, .operation, .typedLiteral].contains(node.kind)
                || (node.type?.isOperandType ?? false)
                || node.isKeyword("CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP")
        }
        pairs(
            &list, .operation, match: { $0.type == .operator || $0.type == .wildcard }, validPrev: { valid($0) },
            validNext: valid, post: { _, pidx, _, nidx in (pidx, nidx!) }, extend: false)
    }

    /// `operand comparator operand`.
    private static func groupComparisons(_ list: inout [FilterNode]) {
        let valid: (FilterNode?) -> Bool = { node in
            guard let node else { return false }
            return [.parenthesis, .function, .identifier, .operation, .typedLiteral].contains(node.kind)
                || (node.type?.isOperandType ?? false)
                || (node.isKeyword && node.normalized == "NULL")
        }
        pairs(
            &list, .comparison, match: { $0.type == .comparison }, validPrev: { valid($0) }, validNext: valid,
            post: { _, pidx, _, nidx in (pidx, nidx!) }, extend: false)
    }

    /// `x AS y`.
    private static func groupAs(_ list: inout [FilterNode]) {
        pairs(
            &list, .identifier, match: { $0.isKeyword && $0.normalized == "AS" },
            validPrev: { $0.normalized == "NULL" || !$0.isKeyword },
            validNext: { node in
                guard let type = node.map({ $0.type }) else { return false }
                return ![.keywordDML, .keywordDDL, .keywordCTE].contains(type)
            },
            post: { _, pidx, _, nidx in (pidx, nidx!) }, extend: true)
    }

    /// Anything identifier-like directly followed by an identifier absorbs it (an SQL alias): this is
    /// why `metrics.loss < 1 garbage` is one invalid clause.
    private static func groupAliased(_ list: inout [FilterNode]) {
        let aliasable: Set<Kind> = [.parenthesis, .function, .identifier, .operation, .comparison]
        var index = 0
        while index < list.count {
            if aliasable.contains(list[index].kind) || list[index].type?.isNumberFamily == true,
                let next = nextIndex(list, after: index), list[next].kind == .identifier
            {
                groupTokens(&list, .identifier, index, next, extendIf: { $0.kind == .identifier })
            }
            index += 1
        }
    }

    /// `x := y`, up to the next `;` if there is one.
    private static func groupAssignments(_ list: inout [FilterNode]) {
        let valid: (FilterNode?) -> Bool = { $0 != nil && $0?.type != .keyword }
        pairs(
            &list, .assignment, match: { $0.type == .assignment && $0.text == ":=" }, validPrev: { valid($0) },
            validNext: valid,
            post: { list, pidx, _, nidx in
                let semicolon = list[(nidx! + 1)...].firstIndex { $0.type == .punctuation && $0.text == ";" }
                return (pidx, semicolon ?? nidx!)
            },
            extend: true)
    }

    /// A comment group joins the group before it.
    private static func alignComments(_ list: inout [FilterNode]) {
        var index = 0
        while index < list.count {
            if list[index].kind == .comment, let prev = previousIndex(list, before: index), list[prev].isGroup {
                groupTokens(&list, .tokenList, prev, index, extendIf: { $0.isGroup })
                index = prev
            }
            index += 1
        }
    }

    /// `a, b, c`.
    private static func groupIdentifierLists(_ list: inout [FilterNode]) {
        let valid: (FilterNode?) -> Bool = { node in
            guard let node else { return false }
            if [.function, .identifier, .comparison, .identifierList, .operation].contains(node.kind) { return true }
            if node.isKeyword("NULL", "ROLE") { return true }
            return node.type?.isOperandType == true || node.type == .keyword || node.type == .wildcard
        }
        pairs(
            &list, .identifierList, match: { $0.type == .punctuation && $0.text == "," }, validPrev: { valid($0) },
            validNext: valid, post: { _, pidx, _, nidx in (pidx, nidx!) }, extend: true)
    }

    // MARK: sqlparse's `_group` and helpers

    /// Groups `prev MATCH next` patterns left to right, exactly as sqlparse's `_group` walks a
    /// snapshot of the list (including its habit of judging the next pair by a token that was
    /// already absorbed into the previous group).
    private static func pairs(
        _ list: inout [FilterNode], _ kind: Kind,
        match: (FilterNode) -> Bool,
        validPrev: (FilterNode) -> Bool,
        validNext: (FilterNode?) -> Bool,
        post: ([FilterNode], Int, Int, Int?) -> (Int, Int),
        extend: Bool
    ) {
        let snapshot = list
        var offset = 0
        var previousIndex: Int?
        var previous: FilterNode?
        for (idx, token) in snapshot.enumerated() {
            let tidx = idx - offset
            if tidx < 0 || token.isWhitespace { continue }
            if match(token), let prev = previous, let pidx = previousIndex {
                let nidx = nextIndex(list, after: tidx)
                if validPrev(prev), validNext(nidx.map { list[$0] }) {
                    let (from, to) = post(list, pidx, tidx, nidx)
                    let grouped = groupTokens(&list, kind, from, to, extendIf: { extend && $0.kind == kind })
                    offset += to - from
                    previousIndex = from
                    previous = grouped
                    continue
                }
            }
            previousIndex = tidx
            previous = token
        }
    }

    /// Replaces `list[from...to]` by one group (or appends them to `list[from]` when it is extended),
    /// with Python's slice semantics as sqlparse has them: a range that ends before it starts (the
    /// stale indices of `pairs` produce one) extends by nothing, or inserts an empty group.
    @discardableResult
    private static func groupTokens(
        _ list: inout [FilterNode], _ kind: Kind, _ from: Int, _ to: Int, extendIf: (FilterNode) -> Bool = { _ in false }
    ) -> FilterNode {
        guard from < list.count else { return FilterNode(kind, []) }
        let end = min(to + 1, list.count)
        if extendIf(list[from]) {
            var group = list[from]
            let members = (from + 1)..<max(from + 1, end)
            group.children.append(contentsOf: list[members])
            group.text = group.children.map(\.text).joined()
            list.removeSubrange(members)
            list[from] = group
            return group
        }
        let members = from..<max(from, end)
        let group = FilterNode(kind, Array(list[members]))
        list.replaceSubrange(members, with: [group])
        return group
    }

    static func nextIndex(_ list: [FilterNode], after index: Int) -> Int? {
        var k = index + 1
        while k < list.count, list[k].isWhitespace { k += 1 }
        return k < list.count ? k : nil
    }

    static func previousIndex(_ list: [FilterNode], before index: Int) -> Int? {
        var k = index - 1
        while k >= 0, list[k].isWhitespace { k -= 1 }
        return k >= 0 ? k : nil
    }
}
