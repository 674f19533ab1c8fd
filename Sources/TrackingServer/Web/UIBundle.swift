import Logging

/// MLflow's prebuilt web UI (`mlflow/server/js/build` in the `mlflow` wheel): `index.html` and
/// the hashed files under `static/` it loads through `/static-files/`.
package struct UIBundle: Sendable, Equatable {
    package let directory: String

    /// A directory holding the bundle's `index.html`, or nil.
    package init?(directory: String) {
        guard FileStatus(path: directory + "/index.html")?.isRegularFile == true else { return nil }
        self.directory = directory
    }

    /// The bundle inside the `mlflow` package of the first `python3` on PATH, if there is one.
    /// `find_spec` locates the package without importing it (importing mlflow takes seconds).
    package static func fromInstalledMLflow() -> UIBundle? {
        let command = "python3 -c \"import importlib.util as u; s = u.find_spec('mlflow'); "
            + "print(s.submodule_search_locations[0] if s else '')\" 2>/dev/null"
        guard let package = ShellLine.run(command), !package.isEmpty else { return nil }
        return UIBundle(directory: package + "/server/js/build")
    }
}

/// Where the UI bundle comes from: a directory named by the operator (or none), or the installed
/// `mlflow` package, looked up in the background so that it never delays the server's start.
package enum UIBundleSource: Sendable, Equatable {
    case fixed(UIBundle?)
    case installedMLflow

    /// The bundle, once known; the lookup of the installed package starts at once.
    func resolve(logger: Logger) -> Task<UIBundle?, Never> {
        switch self {
        case .fixed(let bundle):
            return Task { bundle }
        case .installedMLflow:
            return Task.detached(priority: .utility) {
                let bundle = UIBundle.fromInstalledMLflow()
                if let bundle {
                    logger.info("serving the web UI of the installed mlflow package", metadata: ["static_ui_dir": "\(bundle.directory)"])
                } else {
                    logger.notice("no web UI bundle found (install mlflow for python3 or pass --static-ui-dir); / explains how to get one")
                }
                return bundle
            }
        }
    }
}
