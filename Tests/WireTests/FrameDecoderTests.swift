import Testing
import Wire

@Suite struct FrameDecoderTests {
    @Test func encodedFramePrefixesBigEndianLength() {
        #expect(Frame.encode([0xAA, 0xBB]) == [0, 0, 0, 2, 0xAA, 0xBB])
        let big = [UInt8](repeating: 7, count: 65_536)
        #expect(Array(Frame.encode(big).prefix(4)) == [0, 1, 0, 0])
    }

    @Test func frameSplitAcrossChunksIsReassembled() {
        var decoder = FrameDecoder()
        let frame = Frame.encode(Array("{\"type\":\"status\"}".utf8))
        var outputs: [FrameDecoder.Output] = []
        for byte in frame { outputs += decoder.feed([byte]) }
        #expect(outputs == [.frame(Array("{\"type\":\"status\"}".utf8))])
        #expect(decoder.isAtFrameBoundary)
    }

    @Test func severalFramesInOneChunkComeOutInOrder() {
        var decoder = FrameDecoder()
        let outputs = decoder.feed(Frame.encode([1]) + Frame.encode([2, 3]) + Frame.encode([4]) + [0, 0])
        #expect(outputs == [.frame([1]), .frame([2, 3]), .frame([4])])
        #expect(decoder.bufferedByteCount == 2)
        #expect(!decoder.isAtFrameBoundary)
    }

    @Test func zeroLengthIsFrameSizeError() {
        var decoder = FrameDecoder()
        let outputs = decoder.feed([0, 0, 0, 0, 1, 2, 3])
        #expect(outputs.count == 1)
        guard case .error(let error) = outputs.first else {
            Issue.record("expected an error, got \(outputs)")
            return
        }
        #expect(error.code == .frameSize)
        #expect(decoder.isFailed)
    }

    @Test func lengthAbove65536IsFrameSizeError() {
        var decoder = FrameDecoder()
        let outputs = decoder.feed([0, 1, 0, 1])
        guard case .error(let error) = outputs.first else {
            Issue.record("expected an error, got \(outputs)")
            return
        }
        #expect(error.code == .frameSize)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func framesBeforeABadLengthAreStillDelivered() {
        var decoder = FrameDecoder()
        let outputs = decoder.feed(Frame.encode([9]) + [0xFF, 0xFF, 0xFF, 0xFF] + Frame.encode([8]))
        #expect(outputs.count == 2)
        #expect(outputs.first == .frame([9]))
        if case .error(let e) = outputs.last { #expect(e.code == .frameSize) } else { Issue.record("no error") }
    }

    @Test func failedDecoderIgnoresLaterInput() {
        var decoder = FrameDecoder()
        _ = decoder.feed([0, 0, 0, 0])
        #expect(decoder.feed(Frame.encode([1])).isEmpty)
    }

    @Test func maximumLengthFrameIsAccepted() {
        var decoder = FrameDecoder()
        let payload = [UInt8](repeating: 0x20, count: 65_536)
        #expect(decoder.feed(Frame.encode(payload)) == [.frame(payload)])
    }

    @Test func bufferNeverExceedsOneMaximumFramePlusHeader() {
        var decoder = FrameDecoder()
        let payload = [UInt8](repeating: 1, count: 65_536)
        var stream = Frame.encode(payload) + Frame.encode(payload) + Frame.encode(payload)
        stream.removeLast(10)
        var maxBuffered = 0
        var frames = 0
        var i = 0
        while i < stream.count {
            let end = min(stream.count, i + 4_099)
            for output in decoder.feed(stream[i..<end]) {
                if case .frame = output { frames += 1 }
            }
            maxBuffered = max(maxBuffered, decoder.bufferedByteCount)
            i = end
        }
        #expect(frames == 2)
        #expect(maxBuffered <= 4 + 65_536)
        #expect(decoder.bufferedByteCount == 4 + 65_536 - 10)
    }
}
