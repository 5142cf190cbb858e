import Foundation

/// A SoftHSM2 configuration kept inside a directory the appliance owns: `softhsm2.conf` and a `tokens/`
/// directory, both private to the owner. `SOFTHSM2_CONF` points at the file when the module initialises.
public struct SoftHSMConfiguration: Sendable, Equatable {
    /// The directory holding the configuration file and the token directory.
    public let directory: String

    /// `DIRECTORY/softhsm2.conf`.
    public var configurationFile: String { directory + "/softhsm2.conf" }
    /// `DIRECTORY/tokens`, where SoftHSM keeps its token files.
    public var tokenDirectory: String { directory + "/tokens" }

    /// A configuration under `directory` (made absolute, since SoftHSM resolves paths from its own cwd).
    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
    }

    /// The text of `softhsm2.conf`.
    public var configurationText: String {
        """
        # Written by `appliance init`: SoftHSM2 keeps this appliance's token here.
        directories.tokendir = \(tokenDirectory)
        objectstore.backend = file
        log.level = ERROR
        slots.removable = false

        """
    }

    /// Creates the directories (mode 0700) and writes the configuration file (mode 0600) if it is missing.
    public func create() throws {
        let files = FileManager.default
        do {
            for path in [directory, tokenDirectory] where !files.fileExists(atPath: path) {
                try files.createDirectory(atPath: path, withIntermediateDirectories: true,
                                          attributes: [.posixPermissions: 0o700])
            }
            if !files.fileExists(atPath: configurationFile) {
                guard files.createFile(atPath: configurationFile, contents: Data(configurationText.utf8),
                                       attributes: [.posixPermissions: 0o600])
                else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        } catch {
            throw HSMError(.configurationUnwritable, "cannot set up SoftHSM2 under \(directory): \(error)",
                           hint: "check the state directory is writable by this user")
        }
    }

    /// Loads SoftHSM2 from `modulePath` with this configuration (creating it first if needed).
    public func loadModule(path modulePath: String = PKCS11Module.softHSMDefaultPath) throws -> PKCS11Module {
        try create()
        return try PKCS11Module.load(path: modulePath, softHSMConfiguration: configurationFile)
    }
}
