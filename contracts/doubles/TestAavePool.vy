# pragma version ~=0.4.3
"""
@title TestAavePool (test double)
@notice A stand-in for an Aave v3 Pool with its `supply` and `withdraw` signatures: supplied assets go to the
        reserve's aToken, which mints 1:1. Test knobs: `borrow` takes liquidity out of the aToken (utilisation),
        `setSupplyLossBps` makes a supply mint fewer aTokens (a faulty or exploited market), `accrue` mints
        interest backed by fresh underlying the caller sends.
"""

from ethereum.ercs import IERC20


interface IAToken:
    def mint(owner: address, amount: uint256): nonpayable
    def burn(owner: address, amount: uint256): nonpayable
    def transferUnderlyingTo(target: address, amount: uint256): nonpayable
    def balanceOf(owner: address) -> uint256: view


BPS: constant(uint256) = 10_000

aTokenOf: public(HashMap[address, address])
supplyLossBps: public(uint256)


@external
def initReserve(asset: address, a_token: address):
    assert self.aTokenOf[asset] == empty(address), "pool: reserve exists"
    self.aTokenOf[asset] = a_token


@external
def setSupplyLossBps(loss_bps: uint256):
    assert loss_bps <= BPS
    self.supplyLossBps = loss_bps


@external
def supply(asset: address, amount: uint256, onBehalfOf: address, referralCode: uint16):
    a_token: address = self.aTokenOf[asset]
    assert a_token != empty(address), "pool: no reserve"
    assert amount != 0, "pool: zero amount"
    assert extcall IERC20(asset).transferFrom(msg.sender, a_token, amount, default_return_value=True)
    extcall IAToken(a_token).mint(onBehalfOf, amount * (BPS - self.supplyLossBps) // BPS)


@external
def withdraw(asset: address, amount: uint256, to: address) -> uint256:
    a_token: address = self.aTokenOf[asset]
    assert a_token != empty(address), "pool: no reserve"
    value: uint256 = amount
    if amount == max_value(uint256):
        value = staticcall IAToken(a_token).balanceOf(msg.sender)
    if value == 0:
        return 0
    extcall IAToken(a_token).burn(msg.sender, value)
    extcall IAToken(a_token).transferUnderlyingTo(to, value)
    return value


@external
def borrow(asset: address, amount: uint256, to: address):
    extcall IAToken(self.aTokenOf[asset]).transferUnderlyingTo(to, amount)


@external
def accrue(asset: address, holder: address, amount: uint256):
    a_token: address = self.aTokenOf[asset]
    assert extcall IERC20(asset).transferFrom(msg.sender, a_token, amount, default_return_value=True)
    extcall IAToken(a_token).mint(holder, amount)
