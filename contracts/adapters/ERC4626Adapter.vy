# pragma version ~=0.4.3
"""
@title ERC-4626 adapter
@notice Deposits the vault asset into any ERC-4626 vault (a Yearn v3, Morpho or Spark-style savings vault) and
        holds its shares, valued with convertToAssets. A deposit must be worth at least `min_assets` afterwards; a
        withdrawal must pay at least `min_out`, straight to the vault.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC4626
from interfaces import IAdapter

implements: IAdapter


HUB: public(immutable(address))
VAULT: public(immutable(address))
TARGET: public(immutable(address))
_ASSET: immutable(address)


@deploy
def __init__(hub: address, vault: address, target: address):
    HUB = hub
    VAULT = vault
    TARGET = target
    asset: address = staticcall IERC4626(target).asset()
    _ASSET = asset
    assert extcall IERC20(asset).approve(target, max_value(uint256), default_return_value=True), "4626: approve failed"


@external
@view
def asset() -> address:
    return _ASSET


@external
@view
def totalAssets() -> uint256:
    return staticcall IERC4626(TARGET).convertToAssets(staticcall IERC20(TARGET).balanceOf(self))


@external
def deposit(amount: uint256, min_assets: uint256):
    assert msg.sender == HUB, "adapter: caller is not the hub"
    shares: uint256 = extcall IERC4626(TARGET).deposit(amount, self)
    assert staticcall IERC4626(TARGET).convertToAssets(shares) >= min_assets, "adapter: deposit below minimum"


@external
def withdraw(amount: uint256, min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    shares: uint256 = min(
        staticcall IERC4626(TARGET).previewWithdraw(amount), staticcall IERC20(TARGET).balanceOf(self)
    )
    return self._redeem(shares, min_out)


@external
def withdrawAll(min_out: uint256) -> uint256:
    assert msg.sender == HUB, "adapter: caller is not the hub"
    return self._redeem(staticcall IERC20(TARGET).balanceOf(self), min_out)


@internal
def _redeem(shares: uint256, min_out: uint256) -> uint256:
    received: uint256 = 0
    if shares != 0:
        received = extcall IERC4626(TARGET).redeem(shares, VAULT, self)
    assert received >= min_out, "adapter: withdrawal below minimum"
    return received


@external
@view
def protocolTVL() -> uint256:
    return staticcall IERC4626(TARGET).totalAssets()


@external
@view
def utilizationBps() -> uint256:
    return 0
