import Ethereum
import FuzzSupport

// fuzz-abi: the strict ABI decoder, for fixed argument lists (the StrategyHub calls among them) and for types the
// fuzzer writes itself. The first byte picks the argument list; with the last choice, the input's first line is a
// function signature or type text and the rest its encoded arguments. Checks, beyond "no crash":
// - whatever decodes is canonical: encoding the values gives back exactly the input bytes;
// - calldata with the selector decodes to the same values as the bare arguments;
// - type and signature text that parses renders back to the same text (selectors are hashed from it).

private let argumentLists: [[ABIType]] = [
    "rebalance((address,uint16)[],uint16,uint16,uint256)",
    "emergencyExit(address,uint16,uint256)",
    "f(uint256)",
    "f(int8,int256,bool,address)",
    "f(bytes,string)",
    "f(bytes32,bytes1,bytes20,uint8)",
    "f(string[])",
    "f(uint256[2][],(bytes,uint8)[3])",
    "f((string,(address,bytes)[])[])",
    "f(int24[],uint64[4],bool[])",
].map { signature in
    do { return try ABIFunction(signature: signature).inputs } catch { fatalError("\(signature): \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let choice = Int(data[0]) % (argumentLists.count + 1)
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    if choice < argumentLists.count {
        checkRoundTrip(argumentLists[choice], rest)
        return 0
    }
    let newline = rest.firstIndex(of: 0x0A) ?? rest.count
    let text = String(decoding: rest[..<newline], as: UTF8.self)
    let arguments = Array(rest[min(newline + 1, rest.count)...])
    if let type = try? ABIType(parsing: text) {
        invariant(type.description == text, "type \"\(text)\" renders as \"\(type)\"")
        checkRoundTrip([type], arguments)
    }
    if let function = try? ABIFunction(signature: text) {
        invariant(function.signature == text, "signature \"\(text)\" renders as \"\(function.signature)\"")
        let values = checkRoundTrip(function.inputs, arguments)
        let call = try? function.decodeCall(function.selector + arguments)
        invariant(call == values, "calldata and bare arguments decode differently")
    }
    return 0
}

/// Decodes `data` as `types`; what decodes must encode back to `data`.
@discardableResult
private func checkRoundTrip(_ types: [ABIType], _ data: [UInt8]) -> [ABIValue]? {
    guard let values = try? ABI.decode(types, data) else { return nil }
    let encoded: [UInt8]
    do { encoded = try ABI.encode(types, values) } catch { fatalError("decoded values do not encode: \(error)") }
    invariant(encoded == data, "decoded ABI data does not re-encode to the input (\(types))")
    return values
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
