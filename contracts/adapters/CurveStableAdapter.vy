# pragma version ~=0.4.3
"""
@title Curve 3pool adapter
@notice Provides the vault asset as one side of a Curve stable pool (`add_liquidity`) and takes it back with
        `remove_liquidity_one_coin`, holding the LP token. The position is valued at the pool's virtual price.
        Both calls carry a minimum derived from the hub's slippage bound: the LP minted for `amount` must be at
        least min_assets / virtual price, and the asset received at least `min_out` (the pool enforces both, and the
        adapter re-checks the balances, since the real 3pool returns nothing).
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed
from interfaces import IAdapter

implements: IAdapter


interface ICurve3Pool:
    def add_liquidity(amounts: uint256[3], min_mint_amount: uint256): nonpayable
    def remove_liquidity_one_coin(token_amount: uint256, i: int128, min_amount: uint256): nonpayable
    def get_virtual_price() -> uint256: view
    def coins(i: uint256) -> address: view


PRECISION: constant(uint256) = 10**18

HUB: public(immutable(address))
VAULT: public(immutable(address))
POOL: public(immutable(address))
LP_TOKEN: public(immutable(address))
COIN_INDEX: public(immutable(uint256))
_ASSET: immutable(address)
_RATE: immutable(uint256)             # 10 ** (18 − asset decimals): the asset in the pool's 18-decimal units


@deploy
def __init__(hub: address, vault: address, pool: address, lp_token: address, coin_index: uint256):
    HUB = hub
    VAULT = vault
    POOL = pool
    LP_TOKEN = lp_token
    COIN_INDEX = coin_index
    assert coin_index < 3, "curve: coin index outside 0-2"
    asset: address = staticcall ICurve3Pool(pool).coins(coin_index)
    _ASSET = asset
    _RATE = 10 ** (18 - convert(staticcall IERC20Detailed(asset).decimals(), uint256))
    assert extcall IERC20(asset).approve(pool, max_value(uint256), default_return_value=True), "curve: approve failed"


@external
@view
def asset() -> address:
    return _ASSET


@external
@view
def totalAssets() -> uint256:
    return self._value(staticcall IERC20(LP_TOKEN).balanceOf(self))


@internal
@view
def _value(lp: uint256) -> uint256:
    return lp * staticcall ICurve3Pool(POOL).get_virtual_price() // PRECISION // _RATE


@external
def deposit(amount: uint256, min_assets: uint256):
    assert msg.sender == HUB, "adapter: caller is not the hub"
    amounts: uint256[3] = empty(uint256[3])
    amounts[COIN_INDEX] = amount
    min_mint: uint256 = min_assets * _RATE * PRECISION // staticcall ICurve3Pool(POOL).get_virtual_price()
    before: uint256 = staticcall IERC20(LP_TOKEN).balanceOf(self)
    extcall ICurve3Pool(POOL).add_liquidity(amounts, min_mint)
    assert staticcall IERC20(LP_TOKEN).balanceOf(self) - before >= min_mint, "adapter: deposit below minimum"


@external
def withdraw(amount: uint256, min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    price: uint256 = staticcall ICurve3Pool(POOL).get_virtual_price()
    lp: uint256 = min(
        (amount * _RATE * PRECISION + price - 1) // price, staticcall IERC20(LP_TOKEN).balanceOf(self)
    )
    return self._remove(lp, min_out)


@external
def withdrawAll(min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    return self._remove(staticcall IERC20(LP_TOKEN).balanceOf(self), min_out)


@internal
def _remove(lp: uint256, min_out: uint256) -> uint256:
    if lp == 0:
        assert min_out == 0, "adapter: withdrawal below minimum"
        return 0
    before: uint256 = staticcall IERC20(_ASSET).balanceOf(self)
    extcall ICurve3Pool(POOL).remove_liquidity_one_coin(lp, convert(COIN_INDEX, int128), min_out)
    received: uint256 = staticcall IERC20(_ASSET).balanceOf(self) - before
    assert received >= min_out, "adapter: withdrawal below minimum"
    assert extcall IERC20(_ASSET).transfer(VAULT, received, default_return_value=True), "adapter: transfer failed"
    return received


@external
@view
def protocolTVL() -> uint256:
    return self._value(staticcall IERC20(LP_TOKEN).totalSupply())


@external
@view
def utilizationBps() -> uint256:
    return 0
