import CPKCS11
import Foundation

/// A PKCS#11 module (a shared library such as SoftHSM2's `libsofthsm2.so`) loaded and initialised once per process.
///
/// A module can be initialised only once per process (SoftHSM also reads `SOFTHSM2_CONF` only then), so modules
/// are kept in a process-wide cache keyed by path: `load(path:softHSMConfiguration:)` returns the same instance
/// for the same path. The module is finalised and unloaded when the last reference goes away.
///
/// `@unchecked Sendable`: the stored properties are immutable after `init`; the module is initialised with
/// `CKF_OS_LOCKING_OK`, so PKCS#11 itself serialises calls that touch shared module state. Sessions, which must not
/// be used from two threads at once, are handed out one thread at a time by `SessionPool`.
public final class PKCS11Module: @unchecked Sendable {
    /// Where Debian's softhsm2 package installs its module: the default when no `--hsm-module` is given.
    public static let softHSMDefaultPath = "/usr/lib/softhsm/libsofthsm2.so"

    /// The path the module was loaded from.
    public let path: String
    /// The `SOFTHSM2_CONF` value in force when the module was initialised, if this process set one.
    public let softHSMConfiguration: String?

    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>
    private let handle: UnsafeMutableRawPointer
    private let ownsInitialisation: Bool

    private static let cache = Locked<[String: PKCS11Module]>([:])

    /// Loads and initialises the module at `path`, or returns the instance already loaded in this process.
    ///
    /// - Parameter softHSMConfiguration: a SoftHSM2 configuration file to export as `SOFTHSM2_CONF` before the
    ///   module initialises. It must match the one used if the module is already loaded.
    public static func load(path: String, softHSMConfiguration: String? = nil) throws -> PKCS11Module {
        try cache.withLock { modules in
            if let module = modules[path] {
                if let wanted = softHSMConfiguration, wanted != module.softHSMConfiguration {
                    throw HSMError(
                        .moduleConfigurationConflict,
                        "the PKCS#11 module \(path) is already initialised in this process with "
                            + "SOFTHSM2_CONF=\(module.softHSMConfiguration ?? "(unset)"), not \(wanted)",
                        hint: "use one SoftHSM configuration per process (put several tokens in one token directory)")
                }
                return module
            }
            let module = try PKCS11Module(path: path, softHSMConfiguration: softHSMConfiguration)
            modules[path] = module
            return module
        }
    }

    private init(path: String, softHSMConfiguration: String?) throws {
        let hint = "install softhsm2 (apt-get install softhsm2) or pass --hsm-module with the path of a PKCS#11 module"
        guard FileManager.default.fileExists(atPath: path) else {
            throw HSMError(.moduleNotFound, "no PKCS#11 module at \(path)", hint: hint)
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw HSMError(.moduleUnloadable, "cannot load the PKCS#11 module \(path): \(reason)", hint: hint)
        }
        guard let symbol = dlsym(handle, "C_GetFunctionList") else {
            dlclose(handle)
            throw HSMError(
                .moduleUnloadable, "\(path) is not a PKCS#11 module (it has no C_GetFunctionList)", hint: hint)
        }
        typealias GetFunctionList = @convention(c) (
            UnsafeMutablePointer<UnsafeMutablePointer<CK_FUNCTION_LIST>?>?
        ) -> CK_RV
        let getFunctionList = unsafeBitCast(symbol, to: GetFunctionList.self)
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        let rv = getFunctionList(&list)
        guard rv == CKR_OK, let list, let initialize = list.pointee.C_Initialize else {
            dlclose(handle)
            throw HSMError(
                .moduleUnloadable,
                "C_GetFunctionList in \(path) failed with \(PKCS11ReturnValue.name(rv))", hint: hint, returnValue: rv)
        }
        if let softHSMConfiguration {
            // SoftHSM reads SOFTHSM2_CONF once, inside C_Initialize.
            setenv("SOFTHSM2_CONF", softHSMConfiguration, 1)
        }
        var arguments = CK_C_INITIALIZE_ARGS()
        arguments.flags = CK_FLAGS(CKF_OS_LOCKING_OK)
        let initRV = withUnsafeMutablePointer(to: &arguments) { initialize(UnsafeMutableRawPointer($0)) }
        guard initRV == CKR_OK || initRV == CKR_CRYPTOKI_ALREADY_INITIALIZED else {
            dlclose(handle)
            throw HSMError(
                .moduleUnloadable,
                "C_Initialize of \(path) failed with \(PKCS11ReturnValue.name(initRV))"
                    + (softHSMConfiguration.map { " (SOFTHSM2_CONF=\($0))" } ?? ""),
                hint: "check the module's configuration file and that its token directory exists and is writable",
                returnValue: initRV)
        }
        self.path = path
        self.softHSMConfiguration = softHSMConfiguration
        self.functions = list
        self.handle = handle
        self.ownsInitialisation = initRV == CKR_OK
    }

    /// Finalises the module and initialises it again: every session and login in this process ends, and the
    /// module scans its tokens afresh (SoftHSM re-reads its token directory). For `SessionPool.reconnect`.
    func reinitialize() throws {
        _ = functions.pointee.C_Finalize?(nil)
        var arguments = CK_C_INITIALIZE_ARGS()
        arguments.flags = CK_FLAGS(CKF_OS_LOCKING_OK)
        let initialize = try function(functions.pointee.C_Initialize, "C_Initialize")
        let rv = withUnsafeMutablePointer(to: &arguments) { initialize(UnsafeMutableRawPointer($0)) }
        guard rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED else {
            throw HSMError(.tokenUnavailable, "C_Initialize of \(path) failed with \(PKCS11ReturnValue.name(rv)) "
                               + "while reconnecting", hint: "check the module's token store is back",
                           returnValue: rv)
        }
    }

    deinit {
        if ownsInitialisation { _ = functions.pointee.C_Finalize?(nil) }
        dlclose(handle)
    }

    /// Throws an `HSMError` unless `rv` is `CKR_OK`. PIN errors get their own codes and messages.
    func check(_ rv: CK_RV, _ function: String, hint: String? = nil) throws {
        guard rv != CKR_OK else { return }
        throw error(rv, function, hint: hint)
    }

    /// The `HSMError` for a failed call.
    func error(_ rv: CK_RV, _ function: String, hint: String? = nil) -> HSMError {
        switch rv {
        case CK_RV(CKR_PIN_INCORRECT):
            return HSMError(
                .pinIncorrect, "the token rejected the PIN (CKR_PIN_INCORRECT in \(function))",
                hint: "check the PIN file (the state directory's `pin` file or --pin-file) holds this token's user PIN",
                returnValue: rv)
        case CK_RV(CKR_PIN_LOCKED):
            return HSMError(
                .pinLocked, "the token has locked the PIN after too many failed logins (CKR_PIN_LOCKED in \(function))",
                hint: "unlock it with the security officer PIN (C_InitPIN, e.g. softhsm2-util or pkcs11-tool --init-pin)",
                returnValue: rv)
        case CK_RV(CKR_ATTRIBUTE_SENSITIVE):
            return HSMError(
                .attributeSensitive, "the token refuses to reveal a sensitive attribute (\(function))",
                hint: "private key material never leaves the HSM; use the public key or sign inside the token",
                returnValue: rv)
        default:
            return HSMError(
                .pkcs11Failure, "\(function) failed with \(PKCS11ReturnValue.name(rv)) in module \(path)",
                hint: hint ?? "check the module and token (for SoftHSM: SOFTHSM2_CONF and its token directory)",
                returnValue: rv)
        }
    }

    /// The function pointer `pointer`, or an error naming `name` when the module leaves it out.
    func function<F>(_ pointer: F?, _ name: String) throws -> F {
        guard let pointer else {
            throw HSMError(
                .pkcs11Failure, "the PKCS#11 module \(path) does not provide \(name)",
                hint: "use a PKCS#11 v2.40 module that implements \(name) (SoftHSM2 does)")
        }
        return pointer
    }

    /// Slots with a token present.
    func slotsWithToken() throws -> [CK_SLOT_ID] {
        let getSlotList = try function(functions.pointee.C_GetSlotList, "C_GetSlotList")
        var count: CK_ULONG = 0
        try check(getSlotList(CK_BBOOL(CK_TRUE), nil, &count), "C_GetSlotList")
        var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
        try check(getSlotList(CK_BBOOL(CK_TRUE), &slots, &count), "C_GetSlotList")
        return Array(slots.prefix(Int(count)))
    }

    /// The token information of `slot`: its label (trailing spaces removed) and flags.
    func tokenInfo(slot: CK_SLOT_ID) throws -> (label: String, flags: CK_FLAGS) {
        var info = CK_TOKEN_INFO()
        try check(function(functions.pointee.C_GetTokenInfo, "C_GetTokenInfo")(slot, &info), "C_GetTokenInfo")
        let label = withUnsafeBytes(of: &info.label) { raw in
            String(decoding: raw, as: UTF8.self)
        }
        return (String(label.reversed().drop { $0 == " " || $0 == "\0" }.reversed()), info.flags)
    }
}
