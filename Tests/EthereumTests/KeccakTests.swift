import Testing
@testable import Ethereum

@Suite struct KeccakTests {
    @Test func emptyInputMatchesPublishedDigest() {
        #expect(Keccak256.hash([]).hexString == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}
