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
            ]),
        // Application layer: the pipelines (fit from the store, rerank into the store, evaluate an
        // experiment) that combine IO with the model, ranking and evaluation modules.
        .target(
            name: "PaperFeedKit",
            dependencies: ["PaperFeedCore", "PaperFeedIO", "LinearAlgebra", "TextFeatures", "TopicModel", "Ranking", "PaperFeedEvaluation", "Collaborative"]),
        .executableTarget(
            name: "paperfeed",
            dependencies: [
                "PaperFeedCore", "PaperFeedIO", "PaperFeedKit", "PaperFeedEvaluation", "Ranking", "TopicModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(
            name: "EvaluationTests", dependencies: ["PaperFeedEvaluation", "PaperFeedCore"],
            resources: [.copy("Fixtures")]),
    ]
)
