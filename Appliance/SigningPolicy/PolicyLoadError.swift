/// A policy file that was refused at load time. Compared by `code`; the key path and hint are for people.
public struct PolicyLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The closed set of reasons a policy is refused.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Not valid TOML (or outside the supported subset).
        case syntax = "SYNTAX"
        /// A key the policy format does not define.
        case unknownKey = "UNKNOWN_KEY"
        /// A required key is absent.
        case missingKey = "MISSING_KEY"
        /// A value of the wrong TOML type.
        case wrongType = "WRONG_TYPE"
        /// A value that is malformed or out of its range.
        case invalidValue = "INVALID_VALUE"
        /// Values that contradict each other (min > max, a safe haven outside the allowlist, …).
        case inconsistent = "INCONSISTENT"
    }

    public var code: Code
    /// Dotted path of the offending key (`allocation.min_weight_bps`); empty for the whole document.
    public var keyPath: String
    public var message: String
    /// What to do about it.
    public var hint: String
    public var position: TOMLPosition?

    public init(_ code: Code, keyPath: String, message: String, hint: String, position: TOMLPosition? = nil) {
        self.code = code
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
        self.position = position
    }

    public var description: String {
        let place = position.map { " (\($0))" } ?? ""
        let key = keyPath.isEmpty ? "" : "\(keyPath): "
        return "error: \(key)\(message)\(place)\nhint: \(hint)"
    }
}
