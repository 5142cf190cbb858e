import Allocation
import Testing

/// The seed's gas optimizer: EIP-1559 fees from recent base fees, within the policy's caps.
struct GasFeeChooserTests {
    let chooser = GasFeeChooser(priorityFeeWei: 1e9, maxFeeCapWei: 150e9, priorityFeeCapWei: 3e9)

    @Test func maxFeeIsTwiceTheHighestRecentBaseFeePlusTheTip() throws {
        let fees = try #require(chooser.fees(recentBaseFeesWei: [10e9, 20e9, 15e9]))
        #expect(fees.maxFeePerGasWei == 41e9)
        #expect(fees.maxPriorityFeePerGasWei == 1e9)
        #expect(fees.expectedPriceWei == 21e9)
    }

    @Test func maxFeeIsCappedByThePolicy() throws {
        let fees = try #require(chooser.fees(recentBaseFeesWei: [100e9]))
        #expect(fees.maxFeePerGasWei == 150e9)
    }

    @Test func noFeeWhenTheBaseFeeAloneIsAboveTheCap() {
        #expect(chooser.fees(recentBaseFeesWei: [149.5e9]) == nil)
        #expect(chooser.fees(recentBaseFeesWei: []) == nil)
    }

    @Test func tipIsCappedByThePolicy() throws {
        let greedy = GasFeeChooser(priorityFeeWei: 5e9, maxFeeCapWei: 150e9, priorityFeeCapWei: 3e9)
        #expect(try #require(greedy.fees(recentBaseFeesWei: [10e9])).maxPriorityFeePerGasWei == 3e9)
    }
}
