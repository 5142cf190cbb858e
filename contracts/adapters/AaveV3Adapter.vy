# pragma version ~=0.4.3
"""
@title Aave v3 adapter
@notice Supplies the vault asset to an Aave v3 pool (`supply`) and withdraws it (`withdraw`), holding the aTokens.
        Only the StrategyHub moves funds; withdrawals go straight to the vault. aTokens are 1:1 with the asset, so
        the position's value is the aToken balance and a supply must mint at least `min_assets` aTokens.
        protocolTVL and utilizationBps describe the reserve for the KillSwitchManager: supplied = aToken supply,
        available = the asset held by the aToken contract, utilisation = 1 − available / supplied.
"""

from ethereum.ercs import IERC20
from interfaces import IAdapter

implements: IAdapter


interface IAavePool:
    def supply(asset: address, amount: uint256, onBehalfOf: address, referralCode: uint16): nonpayable
    def withdraw(asset: address, amount: uint256, to: address) -> uint256: nonpayable


BPS: constant(uint256) = 10_000

HUB: public(immutable(address))
VAULT: public(immutable(address))
POOL: public(immutable(address))
ATOKEN: public(immutable(address))
_ASSET: immutable(address)


@deploy
def __init__(hub: address, vault: address, pool: address, asset: address, a_token: address):
    HUB = hub
    VAULT = vault
    POOL = pool
    ATOKEN = a_token
    _ASSET = asset
    assert extcall IERC20(asset).approve(pool, max_value(uint256), default_return_value=True), "aave: approve failed"


@external
@view
def asset() -> address:
    return _ASSET


@external
@view
def totalAssets() -> uint256:
    return staticcall IERC20(ATOKEN).balanceOf(self)


@external
def deposit(amount: uint256, min_assets: uint256):
    assert msg.sender == HUB, "adapter: caller is not the hub"
    before: uint256 = staticcall IERC20(ATOKEN).balanceOf(self)
    extcall IAavePool(POOL).supply(_ASSET, amount, self, 0)
    assert staticcall IERC20(ATOKEN).balanceOf(self) - before >= min_assets, "adapter: deposit below minimum"


@external
def withdraw(amount: uint256, min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    return self._withdraw(amount, min_out)


@external
def withdrawAll(min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    return self._withdraw(max_value(uint256), min_out)


@internal
def _withdraw(amount: uint256, min_out: uint256) -> uint256:
    received: uint256 = extcall IAavePool(POOL).withdraw(_ASSET, amount, VAULT)
    assert received >= min_out, "adapter: withdrawal below minimum"
    return received


@external
@view
def protocolTVL() -> uint256:
    return staticcall IERC20(ATOKEN).totalSupply()


@external
@view
def utilizationBps() -> uint256:
    supplied: uint256 = staticcall IERC20(ATOKEN).totalSupply()
    if supplied == 0:
        return 0
    available: uint256 = min(staticcall IERC20(_ASSET).balanceOf(ATOKEN), supplied)
    return (supplied - available) * BPS // supplied
