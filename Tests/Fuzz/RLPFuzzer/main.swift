import BigInt
import Ethereum
import FuzzSupport

// fuzz-rlp: the strict RLP decoder and the signed EIP-1559 transaction decoder built on it. Checks, beyond
// "no crash":
// - whatever decodes is canonical: encoding the item gives back exactly the input bytes;
// - a byte string that reads as an integer is that integer's canonical encoding;
// - a transaction that decodes re-serialises to exactly the input, with a low-s signature and yParity 0 or 1.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let item = try? RLP.decode(bytes) {
        invariant(RLP.encode(item) == bytes, "decoded RLP does not re-encode to the input")
        checkIntegers(item)
    }

    // The input as a raw transaction, and as the RLP body of one (so the mutator need not keep the type byte).
    for raw in [bytes, [EIP1559Transaction.typeByte] + bytes] {
        guard let signed = try? SignedEIP1559Transaction(raw: raw) else { continue }
        invariant(signed.raw == raw, "decoded transaction does not re-serialise to the input")
        invariant(signed.signature.recoveryID <= 1, "yParity above 1")
        let s = signed.signature.s.reduce(BigUInt(0)) { $0 << 8 | BigUInt($1) }
        invariant(s > 0 && s <= halfCurveOrder, "s is not low")
        invariant(signed.hash.count == 32, "transaction hash is not 32 bytes")
        _ = signed.transaction.signingHash
    }
    return 0
}

private let halfCurveOrder = BigUInt("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", radix: 16)!

/// Every byte string that reads as an integer must be the canonical encoding of the value read.
private func checkIntegers(_ item: RLPItem) {
    switch item {
    case .bytes:
        if let value = try? item.bigUIntValue() {
            invariant(RLPItem.uint(value) == item, "integer \(value) is not read from its canonical encoding")
            if let small = try? item.uint64Value() {
                invariant(BigUInt(small) == value, "uint64 and BigUInt readings differ")
            }
        }
    case .list(let items):
        for element in items { checkIntegers(element) }
    }
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
