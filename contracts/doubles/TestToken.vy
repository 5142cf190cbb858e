# pragma version ~=0.4.3
"""
@title TestToken (test double)
@notice An ERC-20 for the in-memory chain only: snekmate's erc20 with minting by minters (the deployer, and any
        account it names) and `burnFrom` by minters. Stands in for USDC, USDT, DAI and LP tokens; mainnet's do not
        exist here.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


@deploy
def __init__(name_: String[25], symbol_: String[5], decimals_: uint8):
    ownable.__init__()
    erc20.__init__(name_, symbol_, decimals_, name_, "1")


@external
def burnFrom(owner: address, amount: uint256):
    assert erc20.is_minter[msg.sender], "test token: caller is not a minter"
    erc20._burn(owner, amount)
