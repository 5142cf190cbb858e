import CPKCS11

/// A PKCS#11 attribute template that owns the memory its `CK_ATTRIBUTE` values point to.
///
/// PKCS#11 templates are arrays of (type, pointer, length); this keeps every value alive until the template is
/// released, so no Swift array has to stay pinned across a C call.
final class AttributeTemplate {
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var attributes: [CK_ATTRIBUTE] = []

    init() {}

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Adds an attribute holding `bytes`.
    @discardableResult
    func add(_ type: UInt, bytes: some Collection<UInt8>) -> AttributeTemplate {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        buffer.copyBytes(from: bytes)
        buffers.append(buffer)
        attributes.append(CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(type), pValue: buffer.baseAddress,
                                       ulValueLen: CK_ULONG(bytes.count)))
        return self
    }

    /// Adds a `CK_BBOOL` attribute.
    @discardableResult
    func add(_ type: UInt, bool: Bool) -> AttributeTemplate {
        add(type, bytes: [bool ? UInt8(CK_TRUE) : UInt8(CK_FALSE)])
    }

    /// Adds a `CK_ULONG` attribute (object classes, key types).
    @discardableResult
    func add(_ type: UInt, ulong: CK_ULONG) -> AttributeTemplate {
        withUnsafeBytes(of: ulong) { add(type, bytes: Array($0)) }
    }

    /// Calls `body` with the template as a C array and its length.
    func withAttributes<T>(_ body: (UnsafeMutablePointer<CK_ATTRIBUTE>?, CK_ULONG) throws -> T) rethrows -> T {
        let count = CK_ULONG(attributes.count)
        return try attributes.withUnsafeMutableBufferPointer { try body($0.baseAddress, count) }
    }
}
