/// Finds the entries of a top-level JSON array without decoding them, with the line each starts on, so each
/// can be decoded (and rejected) on its own. Iterative: deep nesting cannot exhaust the stack.
enum JSONArrayScanner {
    enum Entry {
        /// An object entry's bytes, from `{` to its matching `}`.
        case entry(line: Int, bytes: ArraySlice<UInt8>)
        /// Something that is not a complete object: a scalar, a truncated object, garbage between entries.
        case malformed(line: Int, reason: String)
    }

    static func forEachEntry(in bytes: [UInt8], file: String, _ body: (Entry) throws -> Void) throws {
        var i = 0
        var line = 1
        let n = bytes.count

        func skipWhitespace() {
            while i < n {
                switch bytes[i] {
                case UInt8(ascii: "\n"): line += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
                default: return
                }
                i += 1
            }
        }
        /// Moves past one value starting at `i` (object, array, string or scalar); false if the input ends first.
        func skipValue() -> Bool {
            var depth = 0
            var inString = false
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: "\n") { line += 1 }
                if inString {
                    if b == UInt8(ascii: "\\") {
                        i += 1
                    } else if b == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { i += 1; return true }
                    }
                } else {
                    switch b {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { return true }
                        depth -= 1
                        if depth == 0 { i += 1; return true }
                    case UInt8(ascii: ","):
                        if depth == 0 { return true }
                    default: break
                    }
                }
                i += 1
            }
            return depth == 0 && !inString
        }

        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        skipWhitespace()
        guard i < n, bytes[i] == UInt8(ascii: "[") else {
            throw HistoryFileError(.notAnArray, file: file, line: line, "the file is not a JSON array")
        }
        i += 1
        skipWhitespace()
        if i < n, bytes[i] == UInt8(ascii: "]") { return }
        while true {
            skipWhitespace()
            let startLine = line
            let start = i
            guard i < n else {
                try body(.malformed(line: startLine, reason: "truncated: the array is not closed"))
                return
            }
            let isObject = bytes[i] == UInt8(ascii: "{")
            let complete = skipValue()
            if !complete {
                try body(.malformed(line: startLine, reason: "truncated entry"))
                return
            }
            if isObject {
                try body(.entry(line: startLine, bytes: bytes[start..<i]))
            } else {
                try body(.malformed(line: startLine, reason: "not a JSON object"))
            }
            skipWhitespace()
            guard i < n else {
                try body(.malformed(line: line, reason: "truncated: the array is not closed"))
                return
            }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                skipWhitespace()
                if i < n { try body(.malformed(line: line, reason: "text after the closing ]")) }
                return
            }
            try body(.malformed(line: line, reason: "expected , or ] between entries"))
            // Resynchronise at the next entry separator.
            while i < n, bytes[i] != UInt8(ascii: ",") {
                if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                i += 1
            }
            if i < n { i += 1 }
        }
    }
}
