import FuzzSupport
import Wire

// fuzz-frame: the stream side of the wire protocol. The input's first byte picks a chunk size; the rest is what a
// peer writes to the socket. Checks, beyond "no crash":
// - feeding the stream in chunks yields exactly the outputs of feeding it at once;
// - the decoder never holds more than one header and one maximal payload;
// - a FRAME_SIZE error is the last output, and a failed decoder ignores everything after it;
// - the frames, re-encoded, are byte for byte the stream they came from (the rest is what the decoder holds);
// - every frame decodes as a request and as a response without trapping, and a decoded message re-encodes to a
//   payload that decodes to the same message.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let chunk = Int(data[0]) % 64 + 1
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    var whole = FrameDecoder()
    let expected = whole.feed(stream)

    var chunked = FrameDecoder()
    var outputs: [FrameDecoder.Output] = []
    var offset = 0
    while offset < stream.count {
        let end = min(offset + chunk, stream.count)
        let wasFailed = chunked.isFailed
        let produced = chunked.feed(stream[offset..<end])
        invariant(!wasFailed || produced.isEmpty, "a failed decoder produced output")
        invariant(chunked.bufferedByteCount <= Frame.headerLength + Frame.maxPayloadLength, "buffer above one frame")
        outputs += produced
        offset = end
    }
    invariant(outputs == expected, "chunked feeding (\(chunk) bytes) differs from one feed")
    invariant(chunked.isFailed == whole.isFailed && chunked.bufferedByteCount == whole.bufferedByteCount,
              "chunked and whole decoders end in different states")

    var reencoded: [UInt8] = []
    for (i, output) in expected.enumerated() {
        switch output {
        case .frame(let payload):
            invariant(Frame.isValidPayloadLength(payload.count), "frame of \(payload.count) bytes")
            reencoded += Frame.encode(payload)
            checkMessages(payload)
        case .error(let error):
            invariant(i == expected.count - 1, "output after a FRAME_SIZE error")
            invariant(error.code == .frameSize && whole.isFailed, "unexpected error \(error)")
        }
    }
    invariant(stream.starts(with: reencoded), "re-encoded frames are not the stream's prefix")
    if whole.isFailed {
        // The bad header follows the last frame.
        invariant(stream.count >= reencoded.count + Frame.headerLength, "failed without a whole header")
        let header = stream[reencoded.count..<reencoded.count + Frame.headerLength]
        let n = header.reduce(0) { $0 << 8 | Int($1) }
        invariant(!Frame.isValidPayloadLength(n), "a valid length \(n) was refused")
    } else {
        invariant(reencoded.count + whole.bufferedByteCount == stream.count, "bytes lost between frames")
        invariant(whole.isAtFrameBoundary == (whole.bufferedByteCount == 0), "frame boundary misreported")
    }
    return 0
}

/// The server decodes each frame as a request, the client as a response: neither may trap, and what decodes must
/// survive its own encoding.
private func checkMessages(_ payload: [UInt8]) {
    if let request = try? Request.decode(payload) {
        invariant((try? Request.decode(request.encoded())) == request, "request does not survive re-encoding")
    }
    if let response = try? Response.decode(payload) {
        invariant((try? Response.decode(response.encoded())) == response, "response does not survive re-encoding")
    }
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
