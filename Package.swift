// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BoostBarcode",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "BoostBarcode", targets: ["BoostBarcode"]),
        .executable(name: "boostbarcode", targets: ["BoostBarcodeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CXGBoost",
            pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // libpng's classic reading API, whose error path is a longjmp, and the common photo's
        // decoding without it (libdeflate and its own row filters): kept in C.
        .target(
            name: "CPNGDecode",
            dependencies: ["CPNG", "CDeflate"]
        ),
        // RGB to grey levels, which Swift leaves scalar and clang vectorises.
        .target(name: "CGreyLevels"),
        .target(
            name: "BoostBarcode",
            dependencies: ["CXGBoost", "CPNG", "CPNGDecode", "CTurboJPEG", "CGreyLevels"]
        ),
        .executableTarget(
            name: "BoostBarcodeCLI",
            dependencies: [
                "BoostBarcode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BoostBarcodeTests",
            dependencies: ["BoostBarcode", "BoostBarcodeCLI", "CTurboJPEG"]
        ),
    ]
)
