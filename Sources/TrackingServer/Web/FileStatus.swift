#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says about a path: enough to serve or list a file without Foundation's
/// NSNumber-typed attribute dictionaries.
struct FileStatus: Sendable, Equatable {
    var isDirectory: Bool
    var isRegularFile: Bool
    var size: Int64
    var modified: Int64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        isDirectory = type == S_IFDIR
        isRegularFile = type == S_IFREG
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Int64(info.st_mtimespec.tv_sec)
        #else
        modified = Int64(info.st_mtim.tv_sec)
        #endif
    }
}

/// The first line a shell command prints, or nil when it fails: for one fixed command, without
/// Foundation's Process.
enum ShellLine {
    static func run(_ command: String) -> String? {
        guard let pipe = popen(command, "r") else { return nil }
        var buffer = [CChar](repeating: 0, count: 4096)
        let line = fgets(&buffer, Int32(buffer.count), pipe) != nil
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        let status = pclose(pipe)
        guard status == 0, let line else { return nil }
        return line.hasSuffix("\n") ? String(line.dropLast()) : line
    }
}
