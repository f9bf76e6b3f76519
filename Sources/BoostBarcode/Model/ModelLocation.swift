import Foundation

/// Where a command finds its model when none is named: the reader works out of the box with the
/// model shipped in the package's `models/` folder.
public enum ModelLocation {
    /// The environment variable that names a model folder for every command.
    public static let environmentVariable = "BOOSTBARCODE_MODELS"

    /// The folder to load: `explicit` when given; else `$BOOSTBARCODE_MODELS`; else `./models` when it
    /// holds a model; else the shipped model, found beside the executable (`.build/…/boostbarcode`
    /// sits a few folders below the package's `models/`) or in the source tree it was built from.
    /// When none holds a model, `./models`, so that the error names the usual place.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                               executable: URL? = Bundle.main.executableURL) -> URL {
        if let explicit { return URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath) }
        if let named = environment[environmentVariable], !named.isEmpty {
            return URL(fileURLWithPath: (named as NSString).expandingTildeInPath)
        }
        let local = currentDirectory.appendingPathComponent("models")
        let candidates = [local] + shippedCandidates(executable: executable)
        return candidates.first(where: holdsModel) ?? local
    }

    /// The package's `models/` folders this build may come from, nearest first.
    static func shippedCandidates(executable: URL?) -> [URL] {
        var folders: [URL] = []
        if var folder = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            for _ in 0..<5 {
                folders.append(folder.appendingPathComponent("models"))
                folder.deleteLastPathComponent()
            }
        }
        // This file is Sources/BoostBarcode/Model/ModelLocation.swift of the package.
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(sourceRoot.appendingPathComponent("models"))
        return folders
    }

    static func holdsModel(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path)
    }
}
