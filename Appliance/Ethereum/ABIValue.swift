import BigInt

/// A value to encode with, or decoded by, the ABI coder. Its case must match the `ABIType` it goes with.
public indirect enum ABIValue: Hashable, Sendable {
    case address(Address)
    case bool(Bool)
    /// For `uintN`.
    case uint(BigUInt)
    /// For `intN`.
    case int(BigInt)
    /// For `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    /// For `T[]` and `T[k]`.
    case array([ABIValue])
    /// For `(T1,…)`.
    case tuple([ABIValue])
}
