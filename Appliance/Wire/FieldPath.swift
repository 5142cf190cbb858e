/// Where a value sits in a message (`proposal.targets[1].weight_bps`), for error messages.
struct FieldPath: CustomStringConvertible {
    private(set) var text: String

    static let root = FieldPath(text: "")

    func appending(_ key: String) -> FieldPath {
        FieldPath(text: text.isEmpty ? FieldPath.display(key) : "\(text).\(FieldPath.display(key))")
    }

    func appending(index: Int) -> FieldPath { FieldPath(text: "\(text)[\(index)]") }

    var description: String { text.isEmpty ? "message" : text }

    /// A peer-supplied key made safe to quote: at most 64 scalars, control characters replaced.
    static func display(_ key: String) -> String {
        var out = String.UnicodeScalarView()
        for (i, scalar) in key.unicodeScalars.enumerated() {
            if i == 64 {
                out.append("…")
                break
            }
            out.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
        }
        return String(out)
    }

    /// An `INVALID_FIELD` error at this path.
    func invalid(_ what: String) -> WireError { WireError(.invalidField, "\(self): \(what)") }
}
