// swift-tools-version: 6.1
import PackageDescription

// Dependency direction (see README "Architecture"):
//   PaperFeedCore  <-  LinearAlgebra (only importer of CBLAS/CLAPACKE)
//   PaperFeedCore  <-  LinearAlgebra <- TextFeatures (sparse output)  <-  TopicModel  <-  Ranking
//   PaperFeedCore  <-  PaperFeedEvaluation   (metrics never see the ranker)
//   PaperFeedCore  <-  LinearAlgebra <- Collaborative (item-kNN, implicit ALS)
//   PaperFeedCore  <-  PaperFeedIO (every file and database access; GRDB, zlib)
//   everything     <-  PaperFeedKit (pipelines)  <-  paperfeed (thin CLI)
let package = Package(
    name: "PaperFeed",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "paperfeed", targets: ["paperfeed"]),
        .library(name: "PaperFeedCore", targets: ["PaperFeedCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Logging with levels and timestamps (`--log-level`, `--log-format json`): PaperFeedKit's
        // `Progress` and the CLI log through it; the handler is PaperFeedKit's `LogOutput`.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        .target(name: "PaperFeedCore"),
        .target(name: "LinearAlgebra", dependencies: ["PaperFeedCore", "CBLAS", "CLAPACKE"]),
        .target(
            name: "TextFeatures", dependencies: ["PaperFeedCore", "LinearAlgebra"],
            resources: [.copy("Resources/stopwords-en.txt")]),
        .target(name: "TopicModel", dependencies: ["PaperFeedCore", "TextFeatures", "LinearAlgebra"]),
        .target(name: "Ranking", dependencies: ["PaperFeedCore", "TopicModel", "LinearAlgebra"]),
        .target(name: "PaperFeedEvaluation", dependencies: ["PaperFeedCore"]),
        // Collaborative filtering over implicit feedback (item-kNN, implicit ALS with fold-in).
        .target(name: "Collaborative", dependencies: ["PaperFeedCore", "LinearAlgebra"]),
        .target(
            name: "PaperFeedIO",
            dependencies: [
                "PaperFeedCore", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB links, for the ingest hot path (SQLiteStatement.swift only).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // Application layer: the pipelines (fit from the store, rerank into the store, evaluate an
        // experiment) that combine IO with the model, ranking and evaluation modules.
        .target(
            name: "PaperFeedKit",
            dependencies: [
                "PaperFeedCore", "PaperFeedIO", "LinearAlgebra", "TextFeatures", "TopicModel", "Ranking", "PaperFeedEvaluation", "Collaborative",
                "BuildInfo", .product(name: "Logging", package: "swift-log"),
            ]),
        // The version and the git commit of the build (`paperfeed --version`, every report and
        // artifact): `Version.swift` is committed; `Commit.swift` is generated at build time by
        // the BuildInfoPlugin (git rev-parse HEAD in the package folder; "unknown" outside git).
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .executableTarget(
            name: "paperfeed",
            dependencies: [
                "PaperFeedCore", "PaperFeedIO", "PaperFeedKit", "PaperFeedEvaluation", "Ranking", "TopicModel", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // `make bench`: release-build benchmarks (see scripts/bench.sh).
        .executableTarget(
            name: "paperfeed-bench",
            dependencies: ["PaperFeedCore", "PaperFeedIO", "LinearAlgebra", "TextFeatures", "TopicModel", "Ranking", "PaperFeedEvaluation"]),

        .testTarget(name: "PaperFeedCoreTests", dependencies: ["PaperFeedCore"]),
        .testTarget(
            name: "PaperFeedIOTests", dependencies: ["PaperFeedIO", "PaperFeedCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(
            name: "TextFeaturesTests", dependencies: ["TextFeatures", "LinearAlgebra"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TopicModelTests", dependencies: ["TopicModel", "TextFeatures", "LinearAlgebra"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "CollaborativeTests", dependencies: ["Collaborative", "LinearAlgebra", "PaperFeedCore"]),
        .testTarget(name: "RankingTests", dependencies: ["Ranking", "TopicModel", "LinearAlgebra", "PaperFeedCore"]),
        .testTarget(name: "PaperFeedKitTests", dependencies: ["PaperFeedKit", "PaperFeedIO", "PaperFeedEvaluation", "Ranking", "TopicModel", "PaperFeedCore"]),
        // Runs the built `paperfeed` binary (.build/debug/paperfeed, or $PAPERFEED_BIN) and checks
        // exit codes and messages; needs `swift build` first (make test does it).
        .testTarget(name: "CLITests", dependencies: ["PaperFeedCore"]),
        .testTarget(
            name: "EvaluationTests", dependencies: ["PaperFeedEvaluation", "PaperFeedCore"],
            resources: [.copy("Fixtures")]),
    ]
)
