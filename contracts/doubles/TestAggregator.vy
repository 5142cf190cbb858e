# pragma version ~=0.4.3
"""
@title TestAggregator (test double)
@notice A stand-in for a Chainlink price feed (AggregatorV3Interface's `decimals` and `latestRoundData`), whose
        answer and update time the tests set.
"""

decimals: public(uint8)
answer: public(int256)
updatedAt: public(uint256)
roundId: public(uint80)


@deploy
def __init__(decimals_: uint8, answer_: int256):
    self.decimals = decimals_
    self.answer = answer_
    self.updatedAt = block.timestamp
    self.roundId = 1


@external
def setAnswer(answer_: int256, updated_at: uint256):
    self.answer = answer_
    self.updatedAt = updated_at
    self.roundId += 1


@external
@view
def latestRoundData() -> (uint80, int256, uint256, uint256, uint80):
    return self.roundId, self.answer, self.updatedAt, self.updatedAt, self.roundId
