# pragma version ~=0.4.3
"""
@title TestAToken (test double)
@notice A stand-in for an Aave v3 aToken: an ERC-20 minted and burnt only by its pool, 1:1 with the underlying,
        which the aToken contract itself holds (as on Aave, where a reserve's liquidity sits in its aToken).
"""

from ethereum.ercs import IERC20
from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.totalSupply, erc20.balanceOf, erc20.transfer, erc20.transferFrom, erc20.approve, erc20.allowance,
    erc20.name, erc20.symbol, erc20.decimals,
)

POOL: public(immutable(address))
UNDERLYING_ASSET_ADDRESS: public(immutable(address))


@deploy
def __init__(pool: address, underlying: address, name_: String[25], symbol_: String[5], decimals_: uint8):
    ownable.__init__()
    erc20.__init__(name_, symbol_, decimals_, name_, "1")
    POOL = pool
    UNDERLYING_ASSET_ADDRESS = underlying


@external
def mint(owner: address, amount: uint256):
    assert msg.sender == POOL, "atoken: caller is not the pool"
    erc20._mint(owner, amount)


@external
def burn(owner: address, amount: uint256):
    assert msg.sender == POOL, "atoken: caller is not the pool"
    erc20._burn(owner, amount)


@external
def transferUnderlyingTo(target: address, amount: uint256):
    assert msg.sender == POOL, "atoken: caller is not the pool"
    assert extcall IERC20(UNDERLYING_ASSET_ADDRESS).transfer(target, amount, default_return_value=True)
