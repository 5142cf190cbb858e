import CSecp256k1

/// The one libsecp256k1 context the process uses for verification, recovery and tagged hashing.
///
/// `@unchecked Sendable`: the context is created once and never mutated afterwards (no randomisation, no
/// callbacks set later). libsecp256k1 documents that functions taking a `const secp256k1_context *` — all the
/// ones used here — are safe to call from several threads at once on the same context, so no lock is needed.
final class Secp256k1Context: @unchecked Sendable {
    /// The shared context.
    static let shared = Secp256k1Context()

    /// The C context.
    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            // Only fails on allocation failure; nothing in the appliance can run without it.
            fatalError("libsecp256k1: cannot create a context (out of memory)")
        }
        pointer = context
    }
}
