// swift-tools-version:6.0
import PackageDescription

// The module graph (docs/DESIGN.md, "Modules"): the engine knows no language, text and
// metrics know no tensors, the models know no command line, and the command line only
// parses and calls.
//
//     CBLAS ← Autodiff ← NeuralNet ←┐
//     Files ← Text ←────────────────┼─ Translation ← Reports ← nmt
//     Files ← Scoring ←─────────────┤       ↑       ↑         ↑
//     Distributed ←─────────────────┘       │       │         │
//     Figures ──────────────────────────────┼───────┘         │
//                                           └── Server ───────┘
//
// The numeric modules are compiled for the CPU they are built on, so that their loops
// use the widest vectors it has (AVX2 rather than SSE2 on x86-64). Swift never fuses a
// multiply and an add on its own, so every value is the one a generic build computes,
// to the bit; the binary may not run on an older CPU. C's rule that a square root of a
// negative number sets `errno` is dropped (`-fno-math-errno`): with it, `squareRoot()`
// keeps a branch to libm's `sqrtf` for each value, so a loop of square roots (Adam's)
// runs one value at a time; without it, one `vsqrtps` takes eight or sixteen, and every
// result is still the correctly rounded root (NaN for a negative number, as before).
let hostCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native", "-Xcc", "-fno-math-errno"])]

let package = Package(
    name: "SwiftNMT",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nmt", targets: ["nmt"]),
        .library(name: "Translation", targets: ["Translation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "Autodiff", dependencies: ["CBLAS"], exclude: ["README.md"], swiftSettings: hostCPU),
        .target(name: "NeuralNet", dependencies: ["Autodiff"], exclude: ["README.md"], swiftSettings: hostCPU),
        .target(name: "Files", exclude: ["README.md"]),
        .target(name: "Scoring", dependencies: ["Files"], exclude: ["README.md"]),
        .target(name: "Text", dependencies: ["Files"], exclude: ["README.md"]),
        .target(name: "Figures", exclude: ["README.md"]),
        // Open MPI is loaded with dlopen when mpirun started the process: nothing to link.
        .target(name: "Distributed", exclude: ["README.md"]),
        .target(name: "Translation", dependencies: ["Autodiff", "NeuralNet", "Files", "Text", "Scoring", "Distributed"],
                exclude: ["README.md"], swiftSettings: hostCPU),
        .target(name: "Reports", dependencies: ["Translation", "Figures", "Files", "Scoring", "Text"], exclude: ["README.md"]),
        .target(
            name: "Server",
            dependencies: [
                "Translation", "Figures", "Files", "Text",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "nmt",
            dependencies: [
                "Autodiff", "Files", "Scoring", "Text", "Figures", "Translation", "Reports", "Server", "Distributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        // Helpers that several test targets share (a temporary folder, the engine's threads).
        .target(name: "TestSupport", dependencies: ["Autodiff"], path: "Tests/TestSupport"),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "TestSupport"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Autodiff", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FilesTests", dependencies: ["Files", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Files", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "TextTests", dependencies: ["Text", "Files", "Autodiff", "TestSupport"]),
        .testTarget(name: "TranslationTests",
                    dependencies: ["Translation", "Autodiff", "NeuralNet", "Files", "Text", "Scoring", "Distributed",
                                   "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Figures", "Translation", "Files", "Scoring", "Text", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Translation", "Text", "Autodiff", "TestSupport"]),
        // Runs the built nmt binary (and tests a few of its parts directly).
        .testTarget(name: "nmtTests", dependencies: ["nmt", "Translation", "Files", "Text", "Reports", "TestSupport"]),
    ]
)
