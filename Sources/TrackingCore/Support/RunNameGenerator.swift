/// Names for runs created without one, in MLflow's `<adjective>-<noun>-<number>` form.
package enum RunNameGenerator {
    private static let adjectives = [
        "able", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fair", "fancy", "gentle",
        "glad", "grand", "happy", "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucky", "merry",
        "mighty", "nimble", "noble", "patient", "polite", "proud", "quick", "quiet", "rare", "sharp", "shy", "smart",
        "steady", "sunny", "swift", "tidy", "upbeat", "vast", "warm", "wise", "witty", "zesty",
    ]
    private static let nouns = [
        "ant", "bat", "bear", "bee", "bird", "boar", "calf", "carp", "cat", "colt", "crab", "crane", "deer", "dove",
        "duck", "eel", "elk", "finch", "fox", "frog", "goat", "hare", "hawk", "hen", "horse", "ibis", "jay", "koi",
        "lamb", "lark", "lion", "lynx", "mole", "moose", "mouse", "newt", "owl", "ox", "panda", "pig", "quail",
        "ram", "robin", "seal", "shrew", "snail", "swan", "toad", "trout", "wolf", "wren", "yak",
    ]

    package static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    package static func next<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let adjective = adjectives.randomElement(using: &generator)!
        let noun = nouns.randomElement(using: &generator)!
        return "\(adjective)-\(noun)-\(Int.random(in: 0...1000, using: &generator))"
    }
}
