#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// MLflow's checks on a user-chosen experiment artifact location. There is no artifact proxy
/// here, so the location is only recorded; clients write to it themselves.
enum ArtifactLocationRules {
    static let maxLength = 2048

    static func validate(_ location: String) throws {
        // urlparse's fragment (`#...`) and params (`;...` in the last path segment).
        if location.contains("#") || location.split(separator: "/").last?.contains(";") == true {
            throw TrackingError.invalidParameter("'artifact_location' URL can't include fragments or params.")
        }
        if location.hasPrefix("runs:") {
            throw TrackingError.invalidParameter("Artifact location cannot be a runs:/ URI. Given: '\(location)'")
        }
        if let scheme = scheme(of: location), ["http", "https", "ftp", "sftp"].contains(scheme.lowercased()) {
            throw TrackingError.invalidParameter(
                "'artifact_location' cannot use the '\(scheme)' scheme: the '\(scheme)' scheme addresses a host other than "
                    + "the tracking server's configured artifact storage, so the server would connect to the host named in "
                    + "the URI. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on the server "
                    + "to allow it.")
        }
        try checkLength(location)
    }

    /// A plain relative path is made absolute against the server's working directory, as MLflow does.
    static func resolveLocal(_ location: String) -> String {
        guard scheme(of: location) == nil, !location.hasPrefix("/") else { return location }
        let cwd = FileManager.default.currentDirectoryPath
        return ArtifactLocation.append(cwd, location)
    }

    static func checkLength(_ location: String) throws {
        if location.count > maxLength {
            throw TrackingError.invalidParameter(
                "Invalid artifact path length. The length of the artifact path cannot be greater than \(maxLength) "
                    + "characters. To configure this limit, please set the MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH environment variable.")
        }
    }

    private static func scheme(of location: String) -> String? {
        guard let colon = location.firstIndex(of: ":") else { return nil }
        let scheme = location[..<colon]
        guard scheme.count > 1, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        return String(scheme)
    }
}
