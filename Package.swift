// swift-tools-version:6.0
import PackageDescription

// The module graph (docs/DESIGN.md, "Modules"): the engine knows no language, text and
// metrics know no tensors, the models know no command line, and the command line only
// parses and calls.
//
//     CBLAS ← Autodiff ← NeuralNet ←┐
//     Files ← Text ←────────────────┼─ Translation ← Reports ← nmt
//     Files ← Metrics ←─────────────┘                ↑
//     Figures ───────────────────────────────────────┘
let package = Package(
    name: "SwiftNMT",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nmt", targets: ["nmt"]),
        .library(name: "Translation", targets: ["Translation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "Autodiff", dependencies: ["CBLAS"]),
        .target(name: "NeuralNet", dependencies: ["Autodiff"]),
        .target(name: "Files"),
        .target(name: "Metrics", dependencies: ["Files"]),
        .target(name: "Text", dependencies: ["Files"]),
        .target(name: "Figures"),
        .target(name: "Translation", dependencies: ["Autodiff", "NeuralNet", "Files", "Text", "Metrics"]),
        .target(name: "Reports", dependencies: ["Translation", "Figures", "Files", "Metrics", "Text"]),
        .executableTarget(
            name: "nmt",
            dependencies: [
                "Autodiff", "Files", "Metrics", "Text", "Figures", "Translation", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers that several test targets share (a temporary folder).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Autodiff"], exclude: ["Fixtures"]),
        .testTarget(name: "FilesTests", dependencies: ["Files", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Files", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TextTests", dependencies: ["Text", "Files", "Autodiff", "TestSupport"]),
        .testTarget(name: "TranslationTests",
                    dependencies: ["Translation", "Autodiff", "NeuralNet", "Files", "Text", "Metrics", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Figures", "Translation", "Files", "Metrics", "Text", "TestSupport"]),
        // Runs the built nmt binary (and tests a few of its parts directly).
        .testTarget(name: "nmtTests", dependencies: ["nmt", "Translation", "Files", "Text", "Reports", "TestSupport"]),
    ]
)
