import Testing
@testable import Ethereum

@Suite struct AddressTests {
    @Test func eip55ExamplesRoundTripThroughTheirChecksum() throws {
        let addresses = try Vectors.load("eip55")["checksummed"] as? [String] ?? []
        #expect(addresses.count == 8)
        for text in addresses {
            let address = try Address(hex: text)
            #expect(address.checksummed == text)
            #expect(try Address(hex: text.lowercased()) == address)
        }
    }

    @Test func mixedCaseAddressWithWrongChecksumIsRejected() {
        #expect(throws: Address.ParseError.self) { try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
    }
}
