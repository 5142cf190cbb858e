# pragma version ~=0.4.3
"""
@title Rebalancer Vault
@notice An ERC-4626 vault over one stablecoin. Depositors hold shares; the assets sit either idle in this contract
        (the reserve, from which withdrawals are paid) or in protocol adapters run by the StrategyHub, which alone
        holds KEEPER_ROLE and may move idle assets to an adapter it allowlists (`allocate`).
        totalAssets() = idle balance + the hub's deployed assets.

        Share maths follows snekmate's audited erc4626 module exactly (virtual shares and assets, decimals offset 0,
        rounding in the vault's favour). That module cannot be used as is: its totalAssets is the vault's own token
        balance and Vyper modules cannot override an internal function. The ERC-20 share token, role-based access
        control, pause switch and 512-bit mul_div are snekmate's modules.

        Roles: DEFAULT_ADMIN_ROLE (admin: cap, hub, roles, unpause), KEEPER_ROLE (the StrategyHub: allocate),
        EMERGENCY_ROLE (pause). While paused, deposits, mints, withdrawals and redemptions stop and the hub
        refuses rebalances; an emergency exit (into the safe haven) still runs.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC4626

implements: IERC4626

from snekmate.auth import ownable
from snekmate.tokens import erc20
from snekmate.auth import access_control
from snekmate.utils import pausable
from snekmate.utils import math

initializes: ownable
initializes: erc20[ownable := ownable]
initializes: access_control
initializes: pausable

exports: (
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.transfer,
    erc20.transferFrom,
    erc20.approve,
    erc20.allowance,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.supportsInterface,
    pausable.paused,
)


interface IStrategyHub:
    def deployedAssets() -> uint256: view
    def isAdapter(adapter: address) -> bool: view


KEEPER_ROLE: public(constant(bytes32)) = keccak256("KEEPER_ROLE")
EMERGENCY_ROLE: public(constant(bytes32)) = keccak256("EMERGENCY_ROLE")

asset: public(immutable(address))
_ASSET: immutable(IERC20)

depositCap: public(uint256)
strategyHub: public(address)


event DepositCapChanged:
    cap: uint256


event StrategyHubChanged:
    hub: indexed(address)


event Allocated:
    adapter: indexed(address)
    amount: uint256


@deploy
def __init__(asset_: IERC20, name_: String[25], symbol_: String[5], decimals_: uint8, deposit_cap: uint256):
    _ASSET = asset_
    asset = asset_.address
    ownable.__init__()
    erc20.__init__(name_, symbol_, decimals_, name_, "1")
    access_control.__init__()
    pausable.__init__()
    self.depositCap = deposit_cap
    log DepositCapChanged(cap=deposit_cap)


# MARK: - administration


@external
def setDepositCap(cap: uint256):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.depositCap = cap
    log DepositCapChanged(cap=cap)


@external
def setStrategyHub(hub: address):
    """
    @notice Points totalAssets at a hub. Refused while the current hub still holds deployed assets, which would
            otherwise vanish from the share price.
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert hub != empty(address), "vault: zero hub"
    current: address = self.strategyHub
    if current != empty(address):
        assert staticcall IStrategyHub(current).deployedAssets() == 0, "vault: hub still holds assets"
    self.strategyHub = hub
    log StrategyHubChanged(hub=hub)


@external
def pause():
    if not access_control.hasRole[access_control.DEFAULT_ADMIN_ROLE][msg.sender]:
        access_control._check_role(EMERGENCY_ROLE, msg.sender)
    pausable._pause()


@external
def unpause():
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    pausable._unpause()


# MARK: - the hub's side


@external
@nonreentrant
def allocate(adapter: address, amount: uint256):
    """
    @notice Sends idle assets to an adapter the hub allowlists. Only the hub (KEEPER_ROLE) calls this, in a rebalance.
    """
    access_control._check_role(KEEPER_ROLE, msg.sender)
    assert msg.sender == self.strategyHub, "vault: caller is not the hub"
    assert staticcall IStrategyHub(msg.sender).isAdapter(adapter), "vault: adapter not allowed"
    assert extcall _ASSET.transfer(adapter, amount, default_return_value=True), "vault: transfer failed"
    log Allocated(adapter=adapter, amount=amount)


@external
@view
def idleAssets() -> uint256:
    return staticcall _ASSET.balanceOf(self)


# MARK: - ERC-4626 views


@external
@view
def totalAssets() -> uint256:
    return self._total_assets()


@external
@view
def convertToShares(assets: uint256) -> uint256:
    return self._convert_to_shares(assets, False)


@external
@view
def convertToAssets(shares: uint256) -> uint256:
    return self._convert_to_assets(shares, False)


@external
@view
def maxDeposit(receiver: address) -> uint256:
    return self._max_deposit()


@external
@view
def maxMint(receiver: address) -> uint256:
    room: uint256 = self._max_deposit()
    if room == max_value(uint256):
        return max_value(uint256)
    return self._convert_to_shares(room, False)


@external
@view
def maxWithdraw(owner: address) -> uint256:
    return self._max_withdraw(owner)


@external
@view
def maxRedeem(owner: address) -> uint256:
    return self._max_redeem(owner)


@external
@view
def previewDeposit(assets: uint256) -> uint256:
    return self._convert_to_shares(assets, False)


@external
@view
def previewMint(shares: uint256) -> uint256:
    return self._convert_to_assets(shares, True)


@external
@view
def previewWithdraw(assets: uint256) -> uint256:
    return self._convert_to_shares(assets, True)


@external
@view
def previewRedeem(shares: uint256) -> uint256:
    return self._convert_to_assets(shares, False)


# MARK: - ERC-4626 actions


@external
@nonreentrant
def deposit(assets: uint256, receiver: address) -> uint256:
    assert assets <= self._max_deposit(), "vault: deposit above maximum"
    shares: uint256 = self._convert_to_shares(assets, False)
    assert shares != 0, "vault: zero shares"
    self._deposit(receiver, assets, shares)
    return shares


@external
@nonreentrant
def mint(shares: uint256, receiver: address) -> uint256:
    assets: uint256 = self._convert_to_assets(shares, True)
    assert assets <= self._max_deposit(), "vault: mint above maximum"
    assert shares != 0, "vault: zero shares"
    self._deposit(receiver, assets, shares)
    return assets


@external
@nonreentrant
def withdraw(assets: uint256, receiver: address, owner: address) -> uint256:
    assert assets <= self._max_withdraw(owner), "vault: withdraw above maximum"
    shares: uint256 = self._convert_to_shares(assets, True)
    self._withdraw(receiver, owner, assets, shares)
    return shares


@external
@nonreentrant
def redeem(shares: uint256, receiver: address, owner: address) -> uint256:
    assert shares <= self._max_redeem(owner), "vault: redeem above maximum"
    assets: uint256 = self._convert_to_assets(shares, False)
    self._withdraw(receiver, owner, assets, shares)
    return assets


# MARK: - internals


@internal
@view
def _idle() -> uint256:
    return staticcall _ASSET.balanceOf(self)


@internal
@view
def _total_assets() -> uint256:
    hub: address = self.strategyHub
    if hub == empty(address):
        return self._idle()
    return self._idle() + staticcall IStrategyHub(hub).deployedAssets()


@internal
@view
def _convert_to_shares(assets: uint256, roundup: bool) -> uint256:
    return math._mul_div(assets, erc20.totalSupply + 1, self._total_assets() + 1, roundup)


@internal
@view
def _convert_to_assets(shares: uint256, roundup: bool) -> uint256:
    return math._mul_div(shares, self._total_assets() + 1, erc20.totalSupply + 1, roundup)


@internal
@view
def _max_deposit() -> uint256:
    if pausable.paused:
        return 0
    cap: uint256 = self.depositCap
    if cap == max_value(uint256):
        return cap
    total: uint256 = self._total_assets()
    if total >= cap:
        return 0
    return cap - total


@internal
@view
def _max_withdraw(owner: address) -> uint256:
    if pausable.paused:
        return 0
    return min(self._convert_to_assets(erc20.balanceOf[owner], False), self._idle())


@internal
@view
def _max_redeem(owner: address) -> uint256:
    if pausable.paused:
        return 0
    return min(erc20.balanceOf[owner], self._convert_to_shares(self._idle(), False))


@internal
def _deposit(receiver: address, assets: uint256, shares: uint256):
    assert extcall _ASSET.transferFrom(msg.sender, self, assets, default_return_value=True), "vault: transferFrom failed"
    erc20._mint(receiver, shares)
    log IERC4626.Deposit(sender=msg.sender, owner=receiver, assets=assets, shares=shares)


@internal
def _withdraw(receiver: address, owner: address, assets: uint256, shares: uint256):
    if msg.sender != owner:
        erc20._spend_allowance(owner, msg.sender, shares)
    erc20._burn(owner, shares)
    assert extcall _ASSET.transfer(receiver, assets, default_return_value=True), "vault: transfer failed"
    log IERC4626.Withdraw(sender=msg.sender, receiver=receiver, owner=owner, assets=assets, shares=shares)
