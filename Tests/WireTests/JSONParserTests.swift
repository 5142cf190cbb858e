import Testing
import Wire

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(WireError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    private func code(_ bytes: [UInt8]) -> WireErrorCode? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    private func code(_ text: String) -> WireErrorCode? { code(Array(text.utf8)) }

    @Test(arguments: [
        "{\"a\":1", "{\"a\":", "{\"a\"", "{", "[1,2", "\"abc", "tru", "", "   ", "{\"a\":1}x", "{} {}", "[1]]",
        "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "// c\n{}", "{} /* c */", "[NaN]",
        "[Infinity]", "[-Infinity]", "[01]", "[-01]", "[00]", "[1.]", "[.5]", "[1e]", "[1e+]", "[+1]", "[-]",
        "[0x10]", "[True]", "[nul]", "[\"\\x41\"]", "[\"\\u12\"]", "[\"\\uZZZZ\"]", "[\"a\tb\"]", "[\"a\nb\"]",
        "[\"\u{0}\"]", "\u{FEFF}{}", "[1 2]", "{\"a\":1 \"b\":2}", "[\"\\ud800\"]", "[\"\\udc00\"]",
        "[\"\\ud800\\u0041\"]", "[\"\\ud800x\"]", "[\"\\udc00\\ud800\"]", "{\"a\":1}\u{0}", "[\u{A0}1]",
    ])
    func malformedInputIsRejectedAsMalformedJSON(_ text: String) {
        #expect(code(text) == .malformedJSON, "\(text.debugDescription)")
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x7B, 0x80, 0x7D],
    ] as [[UInt8]])
    func invalidUTF8IsMalformedJSON(_ bytes: [UInt8]) {
        #expect(code(bytes) == .malformedJSON)
    }

    @Test func depthEightIsAcceptedAndDepthNineIsRejected() throws {
        let eight = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        let nine = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
        _ = try parse(eight)
        #expect(code(nine) == .malformedJSON)
        let objects9 = String(repeating: "{\"a\":", count: 8) + "{}" + String(repeating: "}", count: 8)
        #expect(code(objects9) == .malformedJSON)
        let objects8 = String(repeating: "{\"a\":", count: 7) + "{}" + String(repeating: "}", count: 7)
        _ = try parse(objects8)
    }

    @Test func tenThousandDeepArrayIsRejectedWithoutRecursion() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 10_000)
        #expect(code(deep) == .malformedJSON)
        let closed = deep + [UInt8](repeating: UInt8(ascii: "]"), count: 10_000)
        #expect(code(closed) == .malformedJSON)
        let objects = Array(String(repeating: "{\"a\":", count: 10_000).utf8)
        #expect(code(objects) == .malformedJSON)
    }

    @Test func duplicateKeyAtTopLevelIsDuplicateKey() {
        #expect(code("{\"a\":1,\"a\":2}") == .duplicateKey)
    }

    @Test func duplicateKeyNestedIsDuplicateKey() {
        #expect(code("{\"a\":{\"b\":[{\"c\":1,\"c\":1}]}}") == .duplicateKey)
    }

    @Test func keysDifferingOnlyInEscapingAreDuplicates() {
        #expect(code("{\"a\":1,\"\\u0061\":2}") == .duplicateKey)
    }

    @Test func canonicallyEquivalentButDifferentKeysAreNotDuplicates() throws {
        // U+212A KELVIN SIGN is canonically equivalent to "K" but is a different key byte for byte.
        let value = try parse("{\"K\":1,\"\\u212A\":2}")
        guard case .object(let members) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(members.count == 2)
    }

    @Test func syntaxErrorTakesPrecedenceOverDuplicateKey() {
        #expect(code("{\"a\":1,\"a\":2") == .malformedJSON)
    }

    @Test func sameKeyInSiblingObjectsIsAllowed() throws {
        _ = try parse("[{\"a\":1},{\"a\":2}]")
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let value = try parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "\u0000"]"#)
        #expect(value == .array([.string("\"\\/\u{8}\u{C}\n\r\t"), .string("é😀"), .string("\u{0}")]))
    }

    @Test func numbersKeepTheirText() throws {
        let value = try parse("[0, -0, 12, -3.25e+10, 1E5, 123456789012345678901234567890]")
        guard case .array(let elements) = value else {
            Issue.record("expected an array")
            return
        }
        let texts = elements.map { element -> String in
            if case .number(let n) = element { return n.text }
            return "?"
        }
        #expect(texts == ["0", "-0", "12", "-3.25e+10", "1E5", "123456789012345678901234567890"])
        if case .number(let n) = elements[5] {
            #expect(n.isInteger)
            #expect(n.int64Value == nil)
        }
        if case .number(let n) = elements[4] { #expect(!n.isInteger) }
    }

    @Test func whitespaceAroundTheValueIsAllowed() throws {
        #expect(try parse(" \t\r\n{ \"a\" : [ true , false , null ] }\n ") == .object([
            "a": .array([.bool(true), .bool(false), .null]),
        ]))
    }

    @Test func serializationIsCompactOrderedAndEscaped() {
        let value = JSONValue.object([
            "z": .integer(1), "a": .string("q\"\\\n\u{1}é"), "m": .array([.null, .bool(false)]), "e": .object([]),
        ])
        #expect(value.serialized() == #"{"z":1,"a":"q\"\\\n\u0001é","m":[null,false],"e":{}}"#)
    }

    @Test func serializedTextParsesBackToTheSameValue() throws {
        let value = JSONValue.object([
            "s": .string("\u{0}\u{1F}\"\\/\u{7F}\u{2028}😀"), "n": .number(JSONNumber(text: "-1.5e-3")!),
            "a": .array([.object(["k": .null])]),
        ])
        #expect(try JSONParser.parse(value.serializedBytes()) == value)
    }

    @Test func numberTextIsValidatedOnConstruction() {
        #expect(JSONNumber(text: "01") == nil)
        #expect(JSONNumber(text: "1.") == nil)
        #expect(JSONNumber(text: "NaN") == nil)
        #expect(JSONNumber(text: "-0.5E+2") != nil)
    }
}
