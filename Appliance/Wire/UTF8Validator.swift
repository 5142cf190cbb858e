/// Checks bytes against the well-formed UTF-8 table of the Unicode Standard (Table 3-7): no overlong forms, no
/// surrogates (U+D800…U+DFFF), nothing above U+10FFFF, no truncated sequences.
enum UTF8Validator {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return false
            }
            guard i + length <= n, secondRange.contains(bytes[i + 1]) else { return false }
            for j in 2..<length where !(0x80...0xBF).contains(bytes[i + j]) { return false }
            i += length
        }
        return true
    }
}
