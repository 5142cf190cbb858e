import ApplianceCore
import Foundation
import HSM
import Sandbox

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

    /// Creates the directory with mode 0700, or checks that an existing one is a directory owned by this user
    /// (or root) that neither group nor others can access.
    func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CommandFailure("\(path) exists and is not a directory",
                                     hint: "pass --state with a new or existing state directory")
            }
            try TrustedPath(path, role: "the state directory", exposure: .ownerOnly).check()
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

    /// Refuses to trust a state directory (or the files in it that steer the appliance) that another user owns
    /// or that group or others can write: whoever can write `appliance.json` chooses the PKCS#11 module the
    /// appliance loads, and whoever can write the database chooses its policy. The PIN file is checked when it
    /// is read (`PIN(contentsOfFile:)`).
    func checkTrusted(configuration: HSMConfiguration) throws {
        try TrustedPath(path, role: "the state directory", exposure: .ownerOnly).check()
        let layout = StateLayout(directory: path)
        var files = [
            TrustedPath(file(HSMConfiguration.fileName), role: "the appliance configuration",
                        exposure: .readableByOthers),
            TrustedPath(configuration.modulePath, role: "the PKCS#11 module", exposure: .readableByOthers),
        ]
        for database in [layout.database, layout.database + "-wal", layout.database + "-shm"]
        where FileManager.default.fileExists(atPath: database) {
            files.append(TrustedPath(database, role: "the appliance database", exposure: .readableByOthers))
        }
        if let softHSM = configuration.softHSMConfigurationFile {
            files.append(TrustedPath(softHSM, role: "the SoftHSM configuration", exposure: .readableByOthers))
        }
        for file in files { try file.check() }
    }
}
