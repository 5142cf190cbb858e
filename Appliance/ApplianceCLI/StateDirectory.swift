import Foundation

/// The appliance's state directory: private to its owner (mode 0700), holding the configuration, the PIN
/// files, the policy and (by default) the SoftHSM2 token.
struct StateDirectory {
    /// The absolute path.
    let path: String

    init(_ path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Creates the directory with mode 0700, or checks that an existing one is a directory that neither group
    /// nor others can access.
    func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CommandFailure("\(path) exists and is not a directory",
                                     hint: "pass --state with a new or existing state directory")
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CommandFailure("cannot inspect \(path): \(String(cString: strerror(errno)))",
                                     hint: "check the path and its permissions")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw CommandFailure(
                    "the state directory \(path) is accessible to group or others (mode "
                        + String(info.st_mode & 0o777, radix: 8) + ")",
                    hint: "run `chmod 700 \(path)`; the state directory holds the PIN and the token")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create \(parent): \(error.localizedDescription)",
                                 hint: "check the parent directory exists and is writable")
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw CommandFailure("cannot create the state directory \(path): \(String(cString: strerror(errno)))",
                                 hint: "check the parent directory is writable")
        }
        // mkdir honours the umask; make the mode exact.
        guard chmod(path, 0o700) == 0 else {
            throw CommandFailure("cannot set mode 0700 on \(path): \(String(cString: strerror(errno)))",
                                 hint: "check you own the directory")
        }
    }
}
