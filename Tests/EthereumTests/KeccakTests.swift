import Testing
@testable import Ethereum

@Suite struct KeccakTests {
    @Test func emptyInputMatchesPublishedDigest() {
        #expect(Keccak256.hash([]).hexString == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }

    @Test func digestsMatchReferenceAroundTheRateBoundary() throws {
        let cases = try Vectors.cases("keccak")
        #expect(cases.count >= 17)
        var lengths = Set<Int>()
        for c in cases {
            let input = try Vectors.bytes(c["input"])
            lengths.insert(input.count)
            #expect(Keccak256.hash(input).hexString == c["digest"] as? String, "length \(input.count)")
        }
        #expect(lengths.isSuperset(of: [135, 136, 137]))
    }
}
