import Foundation

/// Streams a file line by line in fixed-size chunks, so a large history file is never held in memory whole.
///
/// A line longer than `maxLineBytes` is reported once as too long (its bytes are skipped, not buffered);
/// a last line without a terminating newline is still a line.
public struct LineReader: Sendable {
    public let url: URL
    public let maxLineBytes: Int
    public let chunkBytes: Int

    public init(url: URL, maxLineBytes: Int = 64 * 1024, chunkBytes: Int = 1 << 20) {
        self.url = url
        self.maxLineBytes = maxLineBytes
        self.chunkBytes = chunkBytes
    }

    /// Calls `body` with each line in order. Throws `HistoryFileError` if the file cannot be opened or read,
    /// and whatever `body` throws.
    public func forEachLine(_ body: (TextLine) throws -> Void) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw HistoryFileError(.unreadable, file: url.path, line: 0, "cannot open the file")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        var skippingLongLine = false
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")

        func emit(_ slice: ArraySlice<UInt8>) throws {
            lineNumber += 1
            if slice.last == carriageReturn {
                try body(TextLine(number: lineNumber, bytes: slice.dropLast(), endsWithCarriageReturn: true,
                                  isTooLong: false))
            } else {
                try body(TextLine(number: lineNumber, bytes: slice, endsWithCarriageReturn: false, isTooLong: false))
            }
        }
        func emitTooLong() throws {
            lineNumber += 1
            try body(TextLine(number: lineNumber, bytes: [], endsWithCarriageReturn: false, isTooLong: true))
        }

        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: chunkBytes)
            } catch {
                throw HistoryFileError(.unreadable, file: url.path, line: lineNumber + 1, "read failed: \(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let end = pending[start...].firstIndex(of: newline) {
                if skippingLongLine {
                    skippingLongLine = false
                    try emitTooLong()
                } else if end - start > maxLineBytes {
                    try emitTooLong()
                } else {
                    try emit(pending[start..<end])
                }
                start = end + 1
            }
            pending.removeFirst(start)
            if pending.count > maxLineBytes {
                skippingLongLine = true
                pending.removeAll(keepingCapacity: true)
            } else if skippingLongLine {
                pending.removeAll(keepingCapacity: true)
            }
        }
        if skippingLongLine {
            try emitTooLong()
        } else if !pending.isEmpty {
            try emit(pending[...])
        }
    }
}
