# pragma version ~=0.4.3
"""
@title TestERC4626Vault (test double)
@notice A stand-in for a yield-bearing ERC-4626 vault (Yearn v3, Morpho, Spark): snekmate's audited erc4626
        module as is. Yield is simulated by sending it the asset.
"""

from ethereum.ercs import IERC20
from snekmate.extensions import erc4626

initializes: erc4626

exports: erc4626.__interface__


@deploy
def __init__(asset_: address, name_: String[25], symbol_: String[5]):
    erc4626.__init__(name_, symbol_, IERC20(asset_), 0, name_, "1")
