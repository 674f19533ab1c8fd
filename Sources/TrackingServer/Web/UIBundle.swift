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
