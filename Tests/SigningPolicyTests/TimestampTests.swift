import Testing
import SigningPolicy

@Suite struct TimestampTests {
    @Test func rfc3339RoundTripsAndRejectsOffsets() {
        let t = Timestamp(rfc3339: "2026-11-27T09:00:00Z")
        #expect(t?.seconds == 1_795_770_000)
        #expect(t?.rfc3339 == "2026-11-27T09:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-27T09:00:00+01:00") == nil)
        #expect(Timestamp(rfc3339: "2026-02-29T09:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-29T09:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2026-11-27T09:00:00.5Z") == nil)
    }

    @Test func durationsParseUnitsInOrderOnly() {
        #expect(Duration(text: "6h")?.seconds == 21_600)
        #expect(Duration(text: "1h30m")?.seconds == 5_400)
        #expect(Duration(text: "30m1h") == nil)
        #expect(Duration(text: "h") == nil)
        #expect(Duration(text: "10") == nil)
        #expect(Duration(text: "") == nil)
        #expect(Duration(seconds: 5_400).description == "1h30m")
    }
}
