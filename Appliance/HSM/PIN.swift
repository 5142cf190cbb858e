import Sandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A token PIN, kept in one locked page of its own that is zeroed as soon as it is no longer needed.
///
/// The PIN is read from a file (never argv or the environment) straight into this buffer, so no `String` or
/// `Data` copy of it is left behind. The page is `mlock`ed (never written to swap) and excluded from core dumps
/// (`MADV_DONTDUMP`); no other data shares it. Call `wipe()` after logging in; `deinit` wipes too.
public final class PIN {
    /// The longest PIN accepted, in bytes (SoftHSM's own maximum is 255).
    public static let maximumLength = 255

    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawBufferPointer
    private var length: Int

    /// The PIN's length in bytes (0 after `wipe()`).
    public var count: Int { length }

    /// Whether the PIN's page is locked in memory. `mlock` fails only when `RLIMIT_MEMLOCK` is exhausted; the
    /// PIN is still zeroed after use then, but could have reached swap.
    public let isMemoryLocked: Bool

    private init(capacity: Int) {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = (max(capacity, 1) + pageSize - 1) / pageSize * pageSize
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED
        else {
            fatalError("cannot map \(size) bytes for a PIN: \(String(cString: strerror(errno)))")
        }
        mapping = UnsafeMutableRawBufferPointer(start: base, count: size)
        isMemoryLocked = mlock(base, size) == 0
        #if canImport(Glibc)
        _ = madvise(base, size, MADV_DONTDUMP)
        #endif
        // An anonymous mapping starts zeroed.
        buffer = UnsafeMutableBufferPointer(start: base.bindMemory(to: UInt8.self, capacity: size),
                                            count: max(capacity, 1))
        length = 0
    }

    /// A PIN with the given bytes. The caller's array is not zeroed; prefer `init(contentsOfFile:)`.
    public convenience init(bytes: some Collection<UInt8>) throws {
        guard !bytes.isEmpty, bytes.count <= PIN.maximumLength else {
            throw HSMError(.pinEmpty, "a PIN is 1 to \(PIN.maximumLength) bytes, got \(bytes.count)",
                           hint: "use a PIN of 1 to \(PIN.maximumLength) printable characters")
        }
        self.init(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        length = bytes.count
    }

    /// Reads a PIN from `path`: the whole file, less one trailing newline (`\n` or `\r\n`).
    public convenience init(contentsOfFile path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw HSMError(.pinFileUnreadable, "cannot read the PIN file \(path): \(reason)",
                           hint: "pass --pin-file with the path of a file (mode 0600) holding the token's user PIN")
        }
        defer { close(fd) }
        do {
            try TrustedPath(path, role: "the PIN file", exposure: .ownerOnly).check(descriptor: fd)
        } catch let error as SandboxError {
            throw HSMError(.pinFileUnsafe, error.message, hint: error.hint)
        }
        // One byte more than the maximum, plus room for "\r\n", tells an over-long file apart.
        self.init(capacity: PIN.maximumLength + 3)
        var total = 0
        while total < buffer.count {
            let n = read(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                let reason = String(cString: strerror(errno))
                throw HSMError(.pinFileUnreadable, "cannot read the PIN file \(path): \(reason)",
                               hint: "check the PIN file is a readable regular file")
            }
            if n == 0 { break }
            total += n
        }
        if total > 0 && buffer[total - 1] == UInt8(ascii: "\n") {
            total -= 1
            if total > 0 && buffer[total - 1] == UInt8(ascii: "\r") { total -= 1 }
        }
        length = total
        guard total > 0 else {
            wipe()
            throw HSMError(.pinEmpty, "the PIN file \(path) is empty",
                           hint: "write the token's user PIN into \(path) (one line)")
        }
        guard total <= PIN.maximumLength else {
            wipe()
            throw HSMError(.pinEmpty, "the PIN file \(path) holds more than \(PIN.maximumLength) bytes",
                           hint: "a PIN file holds only the PIN, on one line")
        }
    }

    /// A fresh random PIN of `length` lower-case hexadecimal digits, from the system's secure generator.
    public static func random(length: Int = 32) -> PIN {
        let pin = PIN(capacity: length)
        let digits: StaticString = "0123456789abcdef"
        var generator = SystemRandomNumberGenerator()
        for i in 0..<length {
            pin.buffer[i] = digits.utf8Start[Int(generator.next(upperBound: UInt8(16)))]
        }
        pin.length = length
        return pin
    }

    /// Calls `body` with the PIN's bytes. Do not let the pointer escape.
    public func withBytes<T>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeMutableBufferPointer(rebasing: buffer[0..<length]))
    }

    /// Writes the PIN and a newline to a new file at `path` with mode 0600. Refuses to overwrite a file.
    public func save(toNewFile path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw HSMError(.configurationUnwritable, "cannot create the PIN file \(path): \(reason)",
                           hint: "check the directory is writable and that no file is in the way")
        }
        defer { close(fd) }
        var ok = withBytes { bytes in write(fd, bytes.baseAddress, bytes.count) == bytes.count }
        ok = ok && write(fd, "\n", 1) == 1 && fsync(fd) == 0
        guard ok else {
            throw HSMError(.configurationUnwritable, "cannot write the PIN file \(path)",
                           hint: "check the disk is not full and the directory is writable")
        }
    }

    /// Zeroes the buffer. The PIN is unusable afterwards.
    public func wipe() {
        explicitZero(mapping)
        length = 0
    }

    deinit {
        wipe()
        if isMemoryLocked { munlock(mapping.baseAddress, mapping.count) }
        munmap(mapping.baseAddress, mapping.count)
    }

    private func explicitZero(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        #if canImport(Glibc)
        explicit_bzero(base, bytes.count)
        #else
        _ = memset_s(base, bytes.count, 0, bytes.count)
        #endif
    }
}
