// swift-tools-version: 6.1
// Rebalancer: the trusted signing appliance and the untrusted planner, one package.
// Layout and dependency direction are fixed by DESIGN.md: Appliance/ never imports Planner/.
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]
// libFuzzer harnesses (Tests/Fuzz/README.md) define `LLVMFuzzerTestOneInput` and no top-level code. `make fuzz` builds
// them with `-sanitize=fuzzer -Xswiftc -DFUZZING` (libFuzzer's main); a plain build gives each a main that replays
// corpus files, so `swift build --build-tests` links them too.
let fuzzHarness: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors", "-parse-as-library"])]

let package = Package(
    name: "Rebalancer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "appliance", targets: ["ApplianceCLI"]),
        .executable(name: "planner", targets: ["PlannerCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // System-library shims (Debian packages; see Makefile `deps`).
        .systemLibrary(name: "CPKCS11", path: "Appliance/CPKCS11", pkgConfig: "p11-kit-1"),
        .systemLibrary(name: "CSecp256k1", path: "Appliance/CSecp256k1"),
        .systemLibrary(name: "CSQLite", path: "Appliance/CSQLite"),
        .systemLibrary(name: "CSeccomp", path: "Appliance/CSeccomp"),

        // Trusted modules.
        .target(
            name: "Ethereum",
            dependencies: [.product(name: "BigInt", package: "BigInt")],
            path: "Appliance/Ethereum",
            swiftSettings: strict
        ),
        // Process hardening: seccomp allowlist, no core dumps, ownership and mode checks on trusted files.
        .target(
            name: "Sandbox",
            dependencies: ["CSeccomp"],
            path: "Appliance/Sandbox",
            swiftSettings: strict
        ),
        .target(
            name: "HSM",
            dependencies: ["Ethereum", "CPKCS11", "CSecp256k1", "Sandbox"],
            path: "Appliance/HSM",
            swiftSettings: strict
        ),
        .target(
            name: "SigningPolicy",
            dependencies: ["Ethereum", .product(name: "BigInt", package: "BigInt")],
            path: "Appliance/SigningPolicy",
            swiftSettings: strict
        ),
        .target(
            name: "Wire",
            dependencies: ["SigningPolicy", "Ethereum", .product(name: "BigInt", package: "BigInt")],
            path: "Appliance/Wire",
            swiftSettings: strict
        ),
        .target(
            name: "ApplianceCore",
            dependencies: [
                "Ethereum", "HSM", "SigningPolicy", "Wire", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Appliance/ApplianceCore",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ApplianceCLI",
            dependencies: [
                "Ethereum", "HSM", "SigningPolicy", "Wire", "ApplianceCore", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Appliance/ApplianceCLI",
            swiftSettings: strict
        ),

        // Untrusted modules (the planner). They may use Wire, SigningPolicy and Ethereum; never the reverse.
        .systemLibrary(name: "COpenBLAS", path: "Planner/COpenBLAS", pkgConfig: "openblas"),
        .target(
            name: "MarketData",
            dependencies: [
                "Ethereum", "SigningPolicy", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Planner/MarketData",
            swiftSettings: strict
        ),
        .target(
            name: "Learning",
            dependencies: ["COpenBLAS"],
            path: "Planner/Learning",
            swiftSettings: strict
        ),
        .systemLibrary(name: "CXGBoost", path: "Planner/CXGBoost", pkgConfig: "xgboost"),
        .target(
            name: "Forecasting",
            dependencies: ["MarketData", "Learning", "CXGBoost"],
            path: "Planner/Forecasting",
            exclude: ["FEATURES.md"],
            swiftSettings: strict
        ),
        .target(
            name: "Risk",
            dependencies: ["MarketData", "Learning", "CXGBoost"],
            path: "Planner/Risk",
            exclude: ["protocol-facts.json"],
            swiftSettings: strict
        ),
        .target(
            name: "Allocation",
            dependencies: ["SigningPolicy", "Ethereum"],
            path: "Planner/Allocation",
            exclude: ["Reinforcement"],
            swiftSettings: strict
        ),
        .target(
            name: "Backtest",
            dependencies: [
                "Allocation", "MarketData", "Risk", "SigningPolicy", "Ethereum",
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Planner/Backtest",
            swiftSettings: strict
        ),
        .target(
            name: "Reinforcement",
            dependencies: ["Allocation", "Backtest", "Learning", "SigningPolicy"],
            path: "Planner/Allocation/Reinforcement",
            exclude: ["README.md"],
            swiftSettings: strict
        ),
        .target(
            name: "Live",
            dependencies: [
                "Wire", "SigningPolicy", "Ethereum", "MarketData", "Risk", "Allocation", "Backtest",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Planner/Live",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "PlannerCLI",
            dependencies: [
                "Wire", "SigningPolicy", "Ethereum", "MarketData", "Learning", "Forecasting", "Risk", "Live",
                "Allocation", "Backtest", "Reinforcement",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Planner/PlannerCLI",
            swiftSettings: strict
        ),

        // Test support and tests.
        .target(
            name: "TestSupport",
            dependencies: ["Ethereum", "HSM", "SigningPolicy", "Wire", "ApplianceCore"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "EthereumTests",
            dependencies: ["Ethereum", "TestSupport"],
            path: "Tests/EthereumTests",
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "SigningPolicyTests",
            dependencies: ["SigningPolicy", "Ethereum", "TestSupport"],
            path: "Tests/SigningPolicyTests"
        ),
        .testTarget(
            name: "WireTests",
            dependencies: ["Wire", "SigningPolicy", "Ethereum", "TestSupport"],
            path: "Tests/WireTests"
        ),
        .testTarget(
            name: "ApplianceCoreTests",
            dependencies: ["ApplianceCore", "SigningPolicy", "Wire", "Ethereum", "HSM", "TestSupport"],
            path: "Tests/ApplianceCoreTests"
        ),
        .testTarget(
            name: "MarketDataTests",
            dependencies: ["MarketData", "TestSupport"],
            path: "Tests/MarketDataTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ForecastingTests",
            dependencies: ["Forecasting", "MarketData", "TestSupport"],
            path: "Tests/ForecastingTests"
        ),
        .testTarget(
            name: "RiskTests",
            dependencies: ["Risk", "MarketData", "TestSupport"],
            path: "Tests/RiskTests"
        ),
        .testTarget(
            name: "AllocationTests",
            dependencies: ["Allocation", "SigningPolicy", "Ethereum", "TestSupport"],
            path: "Tests/AllocationTests"
        ),
        .testTarget(
            name: "BacktestTests",
            dependencies: ["Backtest", "Allocation", "SigningPolicy", "Ethereum", "MarketData", "TestSupport"],
            path: "Tests/BacktestTests"
        ),
        .testTarget(
            name: "ReinforcementTests",
            dependencies: ["Reinforcement", "Allocation", "Backtest", "Learning", "SigningPolicy", "TestSupport"],
            path: "Tests/ReinforcementTests"
        ),
        .testTarget(
            name: "LiveTests",
            dependencies: ["Live", "Wire", "SigningPolicy", "Ethereum", "MarketData", "TestSupport"],
            path: "Tests/LiveTests"
        ),
        .testTarget(
            name: "LearningTests",
            dependencies: ["Learning", "TestSupport"],
            path: "Tests/LearningTests"
        ),
        .testTarget(
            name: "HardeningTests",
            dependencies: ["Sandbox", "HSM", "ApplianceCore", "SigningPolicy", "Wire", "Ethereum", "TestSupport"],
            path: "Tests/HardeningTests"
        ),
        .testTarget(
            name: "HSMTests",
            dependencies: ["HSM", "Ethereum", "TestSupport", "CSecp256k1"],
            path: "Tests/HSMTests"
        ),
        // Emits Swift-side encodings and HSM signatures as JSON lines for the Python cross-checks in Tests/e2e.
        .executableTarget(
            name: "e2e-vectors",
            dependencies: ["Ethereum", "HSM"],
            path: "Tests/e2e/Vectors",
            swiftSettings: strict
        ),

        // libFuzzer harnesses, one per decoder that reads untrusted bytes; corpora in Tests/Fuzz/corpus.
        .target(name: "FuzzSupport", path: "Tests/Fuzz/Support", swiftSettings: strict),
        .executableTarget(
            name: "fuzz-frame", dependencies: ["Wire", "FuzzSupport"], path: "Tests/Fuzz/FrameFuzzer",
            swiftSettings: fuzzHarness
        ),
        .executableTarget(
            name: "fuzz-proposal", dependencies: ["Wire", "SigningPolicy", "FuzzSupport"],
            path: "Tests/Fuzz/ProposalFuzzer", swiftSettings: fuzzHarness
        ),
        .executableTarget(
            name: "fuzz-policy", dependencies: ["SigningPolicy", "Wire", "FuzzSupport"],
            path: "Tests/Fuzz/PolicyFuzzer", swiftSettings: fuzzHarness
        ),
        .executableTarget(
            name: "fuzz-rlp", dependencies: ["Ethereum", .product(name: "BigInt", package: "BigInt"), "FuzzSupport"],
            path: "Tests/Fuzz/RLPFuzzer", swiftSettings: fuzzHarness
        ),
        .executableTarget(
            name: "fuzz-abi", dependencies: ["Ethereum", .product(name: "BigInt", package: "BigInt"), "FuzzSupport"],
            path: "Tests/Fuzz/ABIFuzzer", swiftSettings: fuzzHarness
        ),
        .executableTarget(
            name: "fuzz-bundle",
            dependencies: ["ApplianceCore", "Wire", "Ethereum", "HSM", .product(name: "BigInt", package: "BigInt"),
                           "FuzzSupport"],
            path: "Tests/Fuzz/BundleFuzzer", swiftSettings: fuzzHarness
        ),
    ]
)
