/// Splits one CSV line into fields: commas separate, a field may be wrapped in double quotes (`""` inside is a
/// quote). Strict: invalid UTF-8, a stray quote or an unterminated quoted field make the row malformed.
public enum CSVFields {
    public static func split(_ bytes: ArraySlice<UInt8>) throws(RowError) -> [String] {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw RowError("invalid UTF-8") }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var fields: [String] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        while true {
            if i < end, bytes[i] == quote {
                var value: [UInt8] = []
                i += 1
                var closed = false
                while i < end {
                    if bytes[i] == quote {
                        if i + 1 < end, bytes[i + 1] == quote {
                            value.append(quote)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    value.append(bytes[i])
                    i += 1
                }
                guard closed else { throw RowError("unterminated quoted field \(fields.count + 1)") }
                fields.append(String(decoding: value, as: UTF8.self))
                if i == end { return fields }
                guard bytes[i] == comma else { throw RowError("text after the closing quote of field \(fields.count)") }
                i += 1
            } else {
                let start = i
                while i < end, bytes[i] != comma {
                    guard bytes[i] != quote else { throw RowError("stray quote in field \(fields.count + 1)") }
                    i += 1
                }
                fields.append(String(decoding: bytes[start..<i], as: UTF8.self))
                if i == end { return fields }
                i += 1
            }
        }
    }
}
