# pragma version ~=0.4.3
"""
@title TestCurve3Pool (test double)
@notice A stand-in for Curve's 3pool with its signatures (`add_liquidity(uint256[3],uint256)`,
        `remove_liquidity_one_coin(uint256,int128,uint256)`, `get_virtual_price`, `coins`, `balances`; the real
        pool returns nothing from the first two). Not the StableSwap invariant: coins are valued 1:1 after scaling
        to 18 decimals, so the virtual price is pool value / LP supply; a fee in Curve's 1e10 units is taken on
        every deposit and single-coin withdrawal and stays in the pool. Test knobs: `setFee`, `setDrainOnAddBps`
        (after the next add_liquidity, that share of every coin leaves the pool: an exploit that hits every LP).
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed


interface ILPToken:
    def mint(owner: address, amount: uint256): nonpayable
    def burnFrom(owner: address, amount: uint256): nonpayable
    def totalSupply() -> uint256: view


N: constant(uint256) = 3
FEE_DENOMINATOR: constant(uint256) = 10**10
PRECISION: constant(uint256) = 10**18
BPS: constant(uint256) = 10_000

coins: public(address[N])
balances: public(uint256[N])
rates: public(uint256[N])
lp_token: public(address)
fee: public(uint256)
drainOnAddBps: public(uint256)
thief: public(address)


@deploy
def __init__(coins_: address[N], fee_: uint256):
    self.coins = coins_
    for i: uint256 in range(N):
        self.rates[i] = 10 ** (18 - convert(staticcall IERC20Detailed(coins_[i]).decimals(), uint256))
    self.fee = fee_


@external
def setLPToken(token: address):
    assert self.lp_token == empty(address), "pool: LP token set"
    self.lp_token = token


@external
def setFee(fee_: uint256):
    assert fee_ < FEE_DENOMINATOR // 2
    self.fee = fee_


@external
def setDrainOnAddBps(drain_bps: uint256, thief_: address):
    assert drain_bps <= BPS
    self.drainOnAddBps = drain_bps
    self.thief = thief_


@internal
@view
def _value() -> uint256:
    total: uint256 = 0
    for i: uint256 in range(N):
        total += self.balances[i] * self.rates[i]
    return total


@external
@view
def get_virtual_price() -> uint256:
    supply: uint256 = staticcall ILPToken(self.lp_token).totalSupply()
    if supply == 0:
        return PRECISION
    return self._value() * PRECISION // supply


@external
@view
def calc_token_amount(amounts: uint256[N], is_deposit: bool) -> uint256:
    return self._mint_amount(amounts)


@internal
@view
def _mint_amount(amounts: uint256[N]) -> uint256:
    added: uint256 = 0
    for i: uint256 in range(N):
        added += amounts[i] * self.rates[i]
    added -= added * self.fee // FEE_DENOMINATOR
    supply: uint256 = staticcall ILPToken(self.lp_token).totalSupply()
    if supply == 0:
        return added
    return added * supply // self._value()


@external
def add_liquidity(amounts: uint256[N], min_mint_amount: uint256):
    minted: uint256 = self._mint_amount(amounts)
    assert minted >= min_mint_amount, "Slippage screwed you"
    for i: uint256 in range(N):
        if amounts[i] != 0:
            assert extcall IERC20(self.coins[i]).transferFrom(msg.sender, self, amounts[i], default_return_value=True)
            self.balances[i] += amounts[i]
    extcall ILPToken(self.lp_token).mint(msg.sender, minted)
    drain: uint256 = self.drainOnAddBps
    if drain != 0:
        self.drainOnAddBps = 0
        for i: uint256 in range(N):
            taken: uint256 = self.balances[i] * drain // BPS
            if taken != 0:
                self.balances[i] -= taken
                assert extcall IERC20(self.coins[i]).transfer(self.thief, taken, default_return_value=True)


@external
@view
def calc_withdraw_one_coin(token_amount: uint256, i: int128) -> uint256:
    return self._withdraw_amount(token_amount, convert(i, uint256))


@internal
@view
def _withdraw_amount(token_amount: uint256, i: uint256) -> uint256:
    value: uint256 = token_amount * self._value() // staticcall ILPToken(self.lp_token).totalSupply()
    value -= value * self.fee // FEE_DENOMINATOR
    return value // self.rates[i]


@external
def remove_liquidity_one_coin(token_amount: uint256, i: int128, min_amount: uint256):
    index: uint256 = convert(i, uint256)
    dy: uint256 = self._withdraw_amount(token_amount, index)
    assert dy >= min_amount, "Not enough coins removed"
    assert dy <= self.balances[index], "pool: not enough of that coin"
    self.balances[index] -= dy
    extcall ILPToken(self.lp_token).burnFrom(msg.sender, token_amount)
    assert extcall IERC20(self.coins[index]).transfer(msg.sender, dy, default_return_value=True)
