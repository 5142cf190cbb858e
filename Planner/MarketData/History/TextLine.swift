/// One line of a history file, without its line terminator, numbered from 1.
public struct TextLine: Sendable {
    /// The 1-based line number in the file.
    public let number: Int
    /// The line's bytes without `\n` and without a trailing `\r`; empty when `isTooLong`.
    public let bytes: ArraySlice<UInt8>
    /// Whether the line ended in `\r\n` (Etherscan exports do); kept so an extract can write the line back as read.
    public let endsWithCarriageReturn: Bool
    /// Whether the line exceeded the reader's limit (its bytes were dropped, not kept in memory).
    public let isTooLong: Bool

    /// The line as it appeared in the file, without the final `\n`.
    public var raw: [UInt8] {
        endsWithCarriageReturn ? Array(bytes) + [UInt8(ascii: "\r")] : Array(bytes)
    }
}
