// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "tracking-server",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tracking-server", targets: ["tracking-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"6.0.0"),
    ],
    targets: [
        // The system's SQLite (Debian's libsqlite3-dev): MLflow's own server uses the same engine.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "TrackingCore",
            // The map of the search parser's pipeline (documentation, not a source of the target).
            exclude: ["Search/README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TrackingStore",
            dependencies: [
                "TrackingCore",
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SHA-256 for a data step of MLflow's migrations (already built for PostgresNIO).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TrackingServer",
            dependencies: [
                "TrackingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tracking-server",
            dependencies: [
                "TrackingCore",
                "TrackingServer",
                "TrackingStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            // A position-dependent executable (as Go links its servers) has no relocations to apply
            // at start: about 5 MiB less resident memory than a PIE of the same code. The Swift
            // runtime and Foundation are linked in statically here, at link time only:
            // `--static-swift-stdlib` would also change how every module is compiled, and the tests
            // cannot be built that way, so one release build serves the Swift tests and the binary
            // (run by the e2e suite, wrapped by `docker build --target prebuilt`). Foundation's
            // static libraries name the ones they need only when modules are compiled for static
            // linking, hence the four listed.
            linkerSettings: [
                .unsafeFlags(
                    ["-Xclang-linker", "-no-pie", "-static-stdlib",
                     "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCollections", "-l_FoundationCShims"],
                    .when(platforms: [.linux], configuration: .release))
            ]
        ),
        .testTarget(
            name: "TrackingCoreTests",
            dependencies: ["TrackingCore"],
            // Regenerates the parser's case table from MLflow's own parser (not a source of the target).
            exclude: ["Search/generate_cases.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrackingStoreTests",
            dependencies: [
                "TrackingStore",
                "TrackingCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrackingServerTests",
            dependencies: [
                "TrackingServer",
                "TrackingStore",
                "TrackingCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
