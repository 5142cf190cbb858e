import CPKCS11
import CSecp256k1

/// Logged-in PKCS#11 sessions on one token, lent to one thread at a time.
///
/// A PKCS#11 session must not be used by two threads at once, but one session per concurrent signer lets the
/// token sign in parallel. The pool opens a session the first time every existing one is busy, and keeps it for
/// reuse: after warm-up there is one session per concurrent caller and no session is opened per call.
///
/// Login state is per token for the whole process, so there is one pool per token (see `HSMToken.login(pin:)`).
///
/// A pool logged in from a PIN file can reconnect (`reconnect()`): the module is finalised and initialised again,
/// the token found again by label and logged in again with the PIN read afresh from the file (and zeroed), so a
/// token that went away (a SoftHSM token directory removed and restored, an HSM unplugged) signs again once it
/// is back. Calls in progress finish before a reconnect starts, and new ones wait for it (a read-write lock).
public final class SessionPool: Sendable {
    /// The token the sessions are on (its slot can change across a reconnect).
    public var token: HSMToken { current.withLock { $0 } }

    private let current: Locked<HSMToken>
    private let idle: Locked<[CK_SESSION_HANDLE]>
    /// Held shared by every call on a session, exclusively by a reconnect.
    private let gate = ReadWriteLock()
    /// The file to read the PIN from again when reconnecting (nil: the pool cannot reconnect).
    private let reloginPINFile: Locked<String?> = Locked(nil)
    /// Counts reconnects, so that callers that failed together reconnect once.
    private let generationCounter = Locked(0)
    /// Salt and salted digest of the PIN the pool logged in with, to check later logins in this process.
    private let pinSalt: [UInt8]
    private let pinDigest: [UInt8]

    private static let pools = Locked<[String: SessionPool]>([:])

    private init(token: HSMToken, firstSession: CK_SESSION_HANDLE, pinSalt: [UInt8], pinDigest: [UInt8]) {
        self.current = Locked(token)
        self.idle = Locked([firstSession])
        self.pinSalt = pinSalt
        self.pinDigest = pinDigest
    }

    /// The logged-in pool for `token`, logging in with `pin` if this process has not yet.
    static func loggedIn(token: HSMToken, pin: PIN) throws -> SessionPool {
        let registryKey = token.module.path + "\u{0}" + token.label
        return try pools.withLock { pools in
            if let pool = pools[registryKey] {
                guard constantTimeEqual(digest(of: pin, salt: pool.pinSalt), pool.pinDigest) else {
                    throw token.module.error(CK_RV(CKR_PIN_INCORRECT), "C_Login")
                }
                return pool
            }
            let session = try openSession(on: token)
            do {
                let rv = try pin.withBytes { bytes in
                    try token.module.function(token.module.functions.pointee.C_Login, "C_Login")(
                        session, CK_USER_TYPE(CKU_USER), bytes.baseAddress, CK_ULONG(bytes.count))
                }
                if rv == CKR_USER_PIN_NOT_INITIALIZED {
                    throw HSMError(
                        .pinIncorrect, "the token \"\(token.label)\" has no user PIN set",
                        hint: "initialise the user PIN (appliance init does this for tokens it creates)",
                        returnValue: rv)
                }
                try token.module.check(rv, "C_Login")
            } catch {
                _ = token.module.functions.pointee.C_CloseSession?(session)
                throw error
            }
            var salt = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for i in salt.indices { salt[i] = generator.next() }
            let pool = SessionPool(token: token, firstSession: session, pinSalt: salt,
                                   pinDigest: digest(of: pin, salt: salt))
            pools[registryKey] = pool
            return pool
        }
    }

    /// Runs `body` with a session no other thread is using, then returns the session to the pool.
    ///
    /// A session the token reports as closed or invalid is dropped rather than reused.
    public func withSession<T>(_ body: (CK_SESSION_HANDLE) throws -> T) throws -> T {
        gate.lockShared()
        defer { gate.unlock() }
        let token = self.token
        let session = try idle.withLock { $0.popLast() } ?? SessionPool.openSession(on: token)
        do {
            let result = try body(session)
            idle.withLock { $0.append(session) }
            return result
        } catch let error as HSMError {
            if let rv = error.returnValue, SessionPool.sessionIsGone(rv) {
                _ = token.module.functions.pointee.C_CloseSession?(session)
            } else {
                idle.withLock { $0.append(session) }
            }
            throw error
        } catch {
            idle.withLock { $0.append(session) }
            throw error
        }
    }

    /// The number of sessions opened so far and now idle (for tests and diagnostics).
    public var idleSessionCount: Int { idle.withLock { $0.count } }

    private static func openSession(on token: HSMToken) throws -> CK_SESSION_HANDLE {
        var session = CK_SESSION_HANDLE(0)
        let module = token.module
        try module.check(
            module.function(module.functions.pointee.C_OpenSession, "C_OpenSession")(
                token.slot, CK_FLAGS(CKF_SERIAL_SESSION | CKF_RW_SESSION), nil, nil, &session),
            "C_OpenSession")
        return session
    }

    private static func sessionIsGone(_ rv: UInt) -> Bool {
        [CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED, CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT,
         CKR_USER_NOT_LOGGED_IN, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_SLOT_ID_INVALID].contains(rv)
    }

    // MARK: - Reconnecting

    /// Lets `reconnect()` log in again with the PIN in `pinFile` (read afresh and zeroed each time).
    func rememberPINFile(_ pinFile: String) { reloginPINFile.withLock { $0 = pinFile } }

    /// The reconnect count now; pass it to `reconnect(after:)` so that callers that failed together reconnect
    /// once.
    public var generation: Int { generationCounter.withLock { $0 } }

    /// Finalises and initialises the module again, finds the token again by label, opens a session and logs in
    /// with the PIN file. Does nothing if another caller reconnected since `generation` was read.
    public func reconnect(after generation: Int) throws {
        guard let pinFile = reloginPINFile.withLock({ $0 }) else {
            throw HSMError(.tokenUnavailable, "the session pool for \"\(token.label)\" was not opened from a PIN "
                               + "file, so it cannot log in again", hint: "restart the appliance")
        }
        gate.lockExclusive()
        defer { gate.unlock() }
        guard generationCounter.withLock({ $0 }) == generation else { return }
        let label = token.label
        let module = token.module
        idle.withLock { $0.removeAll() }
        try module.reinitialize()
        let fresh = try HSMToken.find(label: label, in: module)
        let session = try SessionPool.openSession(on: fresh)
        do {
            let pin = try PIN(contentsOfFile: pinFile)
            defer { pin.wipe() }
            guard SessionPool.constantTimeEqual(SessionPool.digest(of: pin, salt: pinSalt), pinDigest) else {
                throw HSMError(.pinIncorrect, "the PIN file \(pinFile) no longer holds the PIN this appliance "
                                   + "logged in with", hint: "restore the PIN file, or restart the appliance")
            }
            let rv = try pin.withBytes { bytes in
                try module.function(module.functions.pointee.C_Login, "C_Login")(
                    session, CK_USER_TYPE(CKU_USER), bytes.baseAddress, CK_ULONG(bytes.count))
            }
            if rv != CKR_USER_ALREADY_LOGGED_IN { try module.check(rv, "C_Login") }
        } catch {
            _ = module.functions.pointee.C_CloseSession?(session)
            throw error
        }
        current.withLock { $0 = fresh }
        idle.withLock { $0 = [session] }
        generationCounter.withLock { $0 += 1 }
    }

    /// SHA-256 tagged with a random salt (libsecp256k1's tagged hash), computed straight from the PIN buffer.
    private static func digest(of pin: PIN, salt: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        pin.withBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            _ = secp256k1_tagged_sha256(Secp256k1Context.shared.pointer, &out, salt, salt.count, base, bytes.count)
        }
        return out
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
