// swift-tools-version:6.0
import PackageDescription

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
        .target(name: "Translation", dependencies: ["NeuralNet"]),
        .executableTarget(
            name: "nmt",
            dependencies: [
                "Translation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"], exclude: ["Fixtures"]),
        .testTarget(name: "TranslationTests", dependencies: ["Translation"], exclude: ["Fixtures"]),
        // Runs the built nmt binary (and tests a few of its parts directly).
        .testTarget(name: "nmtTests", dependencies: ["nmt", "Translation"]),
    ]
)
