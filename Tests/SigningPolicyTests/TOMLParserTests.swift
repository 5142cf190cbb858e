import SigningPolicy
import Testing

@Suite struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text) }

    func error(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheSupportedSubset() throws {
        let doc = try parse("""
            # a comment
            top = "level"   # trailing comment
            [first]
            bare_key-1 = 'literal \\n stays'
            "quoted key" = "esc \\"q\\" \\t \\u00e9 \\U0001F600"
            n = -1_000
            big = 9_223_372_036_854_775_807
            small = -9223372036854775808
            yes = true
            no = false
            list = [
                1,  # one
                2,
            ]
            [ "second" ]
            "0xAbC" = { name = "x", nested = { deep = [1, [2]] } }
            empty = {}
            none = []
            """)
        #expect(doc.keys == ["top", "first", "second"])
        #expect(doc["top"] == .string("level"))
        guard case .table(let first)? = doc["first"], case .table(let second)? = doc["second"] else {
            Issue.record("tables missing")
            return
        }
        #expect(first["bare_key-1"] == .string("literal \\n stays"))
        #expect(first["quoted key"] == .string("esc \"q\" \t é 😀"))
        #expect(first["n"] == .integer(-1_000))
        #expect(first["big"] == .integer(.max))
        #expect(first["small"] == .integer(.min))
        #expect(first["yes"] == .boolean(true))
        #expect(first["no"] == .boolean(false))
        #expect(first["list"] == .array([.integer(1), .integer(2)]))
        #expect(first.position(of: "n") == TOMLPosition(line: 6, column: 1))
        guard case .table(let adapter)? = second["0xAbC"] else {
            Issue.record("inline table missing")
            return
        }
        #expect(adapter["name"] == .string("x"))
        #expect(second["empty"] == .table(TOMLTable()))
        #expect(second["none"] == .array([]))
    }

    @Test func acceptsCRLFLineEndings() throws {
        let doc = try parse("a = 1\r\n[t]\r\nb = [\r\n2,\r\n]\r\n")
        #expect(doc["a"] == .integer(1))
    }

    @Test func rejectsDuplicateKeys() {
        #expect(error("a = 1\na = 2")?.position == TOMLPosition(line: 2, column: 1))
        #expect(error("a = 1\n\"a\" = 2") != nil)
        #expect(error("t = { a = 1, a = 2 }") != nil)
    }

    @Test func rejectsDuplicateTablesAndTablesThatRedefineKeys() {
        #expect(error("[a]\nx = 1\n[a]\ny = 2")?.position.line == 3)
        #expect(error("a = 1\n[a]") != nil)
    }

    @Test func rejectsUnsupportedSyntaxWithLineAndColumn() {
        let cases: [(String, Int, Int)] = [
            ("x = 1.5", 1, 5),
            ("x = 1e3", 1, 5),
            ("x = inf", 1, 5),
            ("x = nan", 1, 5),
            ("x = -inf", 1, 5),
            ("x = 1979-05-27", 1, 5),
            ("x = 07:32:00", 1, 5),
            ("x = 0x1F", 1, 5),
            ("x = 0o7", 1, 5),
            ("x = 012", 1, 5),
            ("a.b = 1", 1, 2),
            ("[a.b]", 1, 3),
            ("[[a]]", 1, 1),
            ("x = \"\"\"multi\"\"\"", 1, 5),
            ("x = '''multi'''", 1, 5),
            ("\n\nx = 1__0", 3, 6),
        ]
        for (text, line, column) in cases {
            let e = error(text)
            #expect(e?.position == TOMLPosition(line: line, column: column), "\(text): \(String(describing: e))")
        }
    }

    @Test func rejectsMalformedInput() {
        for text in [
            "x = ", "x", "= 1", "x = 1 2", "x = \"open", "x = 'open", "x = [1, 2", "x = [1 2]", "x = {a = 1,}",
            "x = {a = 1", "x = \"\\q\"", "x = \"\\uD800\"", "x = \"\\u12\"", "x = tru", "x = 1_", "x = _1", "[a",
            "[]", "x = \"tab\tok but bell \u{07}\"", "# bell \u{07}", "x = 1\ry = 2", "x = 99999999999999999999",
            "x = -9223372036854775809", "x = 9223372036854775808", "x = +", "x = {a = 1}\n x = {}",
        ] {
            #expect(error(text) != nil, "\(text)")
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(error("\"é\" = 1.5")?.position == TOMLPosition(line: 1, column: 7))
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = "x = " + String(repeating: "[", count: TOMLParser.maxDepth + 1)
            + String(repeating: "]", count: TOMLParser.maxDepth + 1)
        #expect(error(deep)?.message.contains("deeper") == true)
        let ok = "x = " + String(repeating: "[", count: TOMLParser.maxDepth)
            + String(repeating: "]", count: TOMLParser.maxDepth)
        #expect(error(ok) == nil)
        let hostile = "x = " + String(repeating: "{a=", count: 100_000)
        #expect(error(hostile) != nil)
    }

    @Test func refusesDocumentsOverOneMebibyte() {
        let big = "# " + String(repeating: "x", count: TOMLParser.maxBytes)
        #expect(error(big)?.message.contains("larger") == true)
    }
}
