import CPKCS11

/// A token inside a PKCS#11 module, found by its label.
///
/// SoftHSM moves a token to a new, random slot when it is initialised, so a token is always looked up by label,
/// never by slot number.
public struct HSMToken: Sendable {
    /// The module holding the token.
    public let module: PKCS11Module
    /// The token's label (at most 32 bytes).
    public let label: String
    /// The slot the token sits in now.
    public let slot: CK_SLOT_ID

    /// Finds the token labelled `label`.
    public static func find(label: String, in module: PKCS11Module) throws -> HSMToken {
        try validate(label: label)
        if let token = try lookUp(label: label, in: module) { return token }
        throw HSMError(
            .tokenNotFound, "no token labelled \"\(label)\" in module \(module.path)",
            hint: "run `appliance init` to create it, or pass the right --token-label")
    }

    /// Whether a token labelled `label` exists in `module`.
    public static func exists(label: String, in module: PKCS11Module) throws -> Bool {
        try validate(label: label)
        return try lookUp(label: label, in: module) != nil
    }

    /// Initialises a new token labelled `label` on a free slot (one holding an uninitialised token), sets the
    /// security officer PIN to `soPIN` and the user PIN to `userPIN`, and returns it.
    public static func initialise(label: String, soPIN: PIN, userPIN: PIN, in module: PKCS11Module) throws
        -> HSMToken
    {
        // Finding the free slot and initialising it must not interleave with another initialisation in this
        // process: two threads would pick the same free slot and the second C_InitToken would fail
        // (CKR_PIN_INCORRECT from SoftHSM, whose slot then holds the first thread's token).
        try initialisation.withLock { _ in try initialiseUnlocked(label: label, soPIN: soPIN, userPIN: userPIN,
                                                                  in: module) }
    }

    private static let initialisation = Locked(())

    private static func initialiseUnlocked(label: String, soPIN: PIN, userPIN: PIN, in module: PKCS11Module) throws
        -> HSMToken
    {
        try validate(label: label)
        if try lookUp(label: label, in: module) != nil {
            throw HSMError(.invalidTokenLabel, "a token labelled \"\(label)\" already exists in \(module.path)",
                           hint: "use the existing token or choose another --token-label")
        }
        var freeSlot: CK_SLOT_ID?
        for slot in try module.slotsWithToken() where try module.tokenInfo(slot: slot).flags
            & CK_FLAGS(CKF_TOKEN_INITIALIZED) == 0
        {
            freeSlot = slot
            break
        }
        guard let freeSlot else {
            throw HSMError(.noFreeSlot, "the module \(module.path) has no slot with an uninitialised token",
                           hint: "free a slot (for a hardware HSM, initialise the token with its own tools)")
        }
        let f = module.functions.pointee
        var paddedLabel = Array(label.utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 32 - label.utf8.count)
        try soPIN.withBytes { pin in
            try module.check(
                module.function(f.C_InitToken, "C_InitToken")(freeSlot, pin.baseAddress, CK_ULONG(pin.count),
                                                               &paddedLabel),
                "C_InitToken")
        }
        // The token has moved to a new slot: look it up again by label.
        guard let token = try lookUp(label: label, in: module) else {
            throw HSMError(.tokenNotFound, "the token \"\(label)\" vanished right after C_InitToken in \(module.path)",
                           hint: "check the module's token directory is writable")
        }
        var session = CK_SESSION_HANDLE(0)
        try module.check(
            module.function(f.C_OpenSession, "C_OpenSession")(
                token.slot, CK_FLAGS(CKF_SERIAL_SESSION | CKF_RW_SESSION), nil, nil, &session),
            "C_OpenSession")
        defer { _ = f.C_CloseSession?(session) }
        try soPIN.withBytes { pin in
            try module.check(
                module.function(f.C_Login, "C_Login")(session, CK_USER_TYPE(CKU_SO), pin.baseAddress,
                                                       CK_ULONG(pin.count)),
                "C_Login (security officer)")
        }
        defer { _ = f.C_Logout?(session) }
        try userPIN.withBytes { pin in
            try module.check(
                module.function(f.C_InitPIN, "C_InitPIN")(session, pin.baseAddress, CK_ULONG(pin.count)),
                "C_InitPIN")
        }
        return token
    }

    /// Logs in as the token's user and returns the process-wide session pool for this token.
    ///
    /// PKCS#11 login state is shared by every session an application has on a token, so there is one pool per
    /// token per process; a second call checks the PIN against the one the pool was opened with.
    /// The caller wipes `pin` afterwards.
    public func login(pin: PIN) throws -> SessionPool {
        try SessionPool.loggedIn(token: self, pin: pin)
    }

    /// Reads the user PIN from `pinFile`, logs in, and wipes the PIN. The pool can reconnect with the same file.
    public func login(pinFile: String) throws -> SessionPool {
        let pin = try PIN(contentsOfFile: pinFile)
        defer { pin.wipe() }
        let pool = try login(pin: pin)
        pool.rememberPINFile(pinFile)
        return pool
    }

    private static func validate(label: String) throws {
        guard (1...32).contains(label.utf8.count), !label.hasSuffix(" ") else {
            throw HSMError(.invalidTokenLabel, "a token label is 1 to 32 bytes without trailing spaces: \"\(label)\"",
                           hint: "choose a shorter --token-label")
        }
    }

    private static func lookUp(label: String, in module: PKCS11Module) throws -> HSMToken? {
        for slot in try module.slotsWithToken() {
            let info = try module.tokenInfo(slot: slot)
            if info.flags & CK_FLAGS(CKF_TOKEN_INITIALIZED) != 0 && info.label == label {
                return HSMToken(module: module, label: label, slot: slot)
            }
        }
        return nil
    }
}
