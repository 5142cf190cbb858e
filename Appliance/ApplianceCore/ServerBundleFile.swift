#if canImport(Glibc)
import Glibc
#endif
import Wire

/// Writes the co-signer bundle of an approved Safe-mode decision to `STATE/bundles/<seq>-<proposal id>.json`.
///
/// The file appears whole or not at all: it is written to a temporary file in the same directory (mode 0600),
/// synced, renamed into place, and the directory synced. The bundles directory is created with mode 0700.
/// The proposal id is safe as a file name component: the wire decoder admits only `[A-Za-z0-9._-]`, and the
/// sequence number prefix keeps `.` and `..` from being whole names.
enum ServerBundleFile {
    /// Why a bundle could not be written (the operation and errno).
    struct Failure: Error, CustomStringConvertible {
        let operation: String
        let errno: Int32
        var description: String { "\(operation): \(String(cString: strerror(errno)))" }
    }

    static func write(_ bundle: SafeBundle, seq: Int64, proposalID: String, layout: StateLayout) throws {
        guard WireLimits.isValidProposalID(proposalID) else {
            throw Failure(operation: "bundle file name for proposal id", errno: EINVAL)
        }
        if mkdir(layout.bundles, 0o700) != 0 && errno != EEXIST {
            throw Failure(operation: "mkdir \(layout.bundles)", errno: errno)
        }
        let destination = layout.bundleFile(seq: seq, proposalID: proposalID)
        let temporary = "\(layout.bundles)/.\(seq)-\(proposalID).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var bytes = bundle.json.serializedBytes()
        bytes.append(UInt8(ascii: "\n"))

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(operation: "create \(temporary)", errno: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw Failure(operation: "write \(temporary)", errno: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw Failure(operation: "fsync \(temporary)", errno: code)
        }
        close(fd)
        if rename(temporary, destination) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(operation: "rename to \(destination)", errno: code)
        }
        let directory = open(layout.bundles, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
