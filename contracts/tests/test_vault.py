"""Vault: each external function with a call it allows and a call it refuses."""
import boa
import pytest
from eth_utils import keccak

from conftest import DEPOSIT, SPREAD, now, targets
from deployment import USDC

ADMIN_ROLE = b"\0" * 32
KEEPER_ROLE = keccak(text="KEEPER_ROLE")
EMERGENCY_ROLE = keccak(text="EMERGENCY_ROLE")


def give(s, who, amount):
    s.usdc.mint(who, amount, sender=s.admin)
    s.usdc.approve(s.vault.address, 2**256 - 1, sender=who)


def deploy_out(s, acct):
    s.hub.rebalance(targets(s, SPREAD), 500, 10, now() + 600, sender=acct.keeper)


def test_metadata_and_initial_state(s, acct):
    assert (s.vault.name(), s.vault.symbol(), s.vault.decimals()) == ("Rebalancer USDC", "rbUSD", 6)
    assert s.vault.asset() == s.usdc.address
    assert s.vault.totalAssets() == DEPOSIT and s.vault.totalSupply() == DEPOSIT
    assert s.vault.balanceOf(acct.alice) == DEPOSIT
    assert s.vault.hasRole(ADMIN_ROLE, acct.admin) and s.vault.hasRole(KEEPER_ROLE, s.hub.address)
    assert s.vault.idleAssets() == DEPOSIT


def test_deposit_allowed_below_the_cap_and_refused_above_it_or_when_paused(s, acct):
    give(s, acct.bob, 10 * DEPOSIT)
    assert s.vault.previewDeposit(1000 * USDC) == s.vault.convertToShares(1000 * USDC)
    shares = s.vault.deposit(1000 * USDC, acct.bob, sender=acct.bob)
    assert s.vault.balanceOf(acct.bob) == shares == 1000 * USDC
    s.vault.setDepositCap(s.vault.totalAssets() + 5 * USDC, sender=acct.admin)
    assert s.vault.maxDeposit(acct.bob) == 5 * USDC
    with boa.reverts("vault: deposit above maximum"):
        s.vault.deposit(5 * USDC + 1, acct.bob, sender=acct.bob)
    s.vault.deposit(5 * USDC, acct.bob, sender=acct.bob)
    assert s.vault.maxDeposit(acct.bob) == 0
    s.vault.setDepositCap(2**256 - 1, sender=acct.admin)
    s.vault.pause(sender=acct.admin)
    assert s.vault.maxDeposit(acct.bob) == 0
    with boa.reverts("vault: deposit above maximum"):
        s.vault.deposit(1, acct.bob, sender=acct.bob)


def test_deposit_refuses_an_amount_worth_zero_shares(s, acct):
    give(s, acct.bob, DEPOSIT)
    with boa.reverts("vault: zero shares"):
        s.vault.deposit(0, acct.bob, sender=acct.bob)


def test_mint_allowed_and_refused_above_the_cap(s, acct):
    give(s, acct.bob, DEPOSIT)
    assets = s.vault.previewMint(7 * USDC)
    assert s.vault.mint(7 * USDC, acct.bob, sender=acct.bob) == assets
    assert s.vault.balanceOf(acct.bob) == 7 * USDC
    s.vault.setDepositCap(s.vault.totalAssets(), sender=acct.admin)
    assert s.vault.maxMint(acct.bob) == 0
    with boa.reverts("vault: mint above maximum"):
        s.vault.mint(1, acct.bob, sender=acct.bob)
    s.vault.setDepositCap(2**256 - 1, sender=acct.admin)
    assert s.vault.maxMint(acct.bob) == 2**256 - 1
    with boa.reverts("vault: zero shares"):
        s.vault.mint(0, acct.bob, sender=acct.bob)


def test_withdraw_and_redeem_are_paid_from_the_reserve_only(s, acct):
    deploy_out(s, acct)
    reserve = s.idle()
    assert s.vault.maxWithdraw(acct.alice) == reserve
    with boa.reverts("vault: withdraw above maximum"):
        s.vault.withdraw(reserve + 1, acct.alice, acct.alice, sender=acct.alice)
    shares = s.vault.previewWithdraw(reserve // 2)
    assert s.vault.withdraw(reserve // 2, acct.alice, acct.alice, sender=acct.alice) == shares
    assert s.usdc.balanceOf(acct.alice) == reserve // 2
    max_redeem = s.vault.maxRedeem(acct.alice)
    with boa.reverts("vault: redeem above maximum"):
        s.vault.redeem(max_redeem + 1, acct.alice, acct.alice, sender=acct.alice)
    assets = s.vault.previewRedeem(max_redeem)
    assert s.vault.redeem(max_redeem, acct.alice, acct.alice, sender=acct.alice) == assets
    assert assets <= reserve - reserve // 2


def test_withdraw_for_another_owner_needs_an_allowance(s, acct):
    with boa.reverts("erc20: insufficient allowance"):
        s.vault.withdraw(10 * USDC, acct.bob, acct.alice, sender=acct.bob)
    s.vault.approve(acct.bob, 10 * USDC, sender=acct.alice)
    s.vault.withdraw(10 * USDC, acct.bob, acct.alice, sender=acct.bob)
    assert s.usdc.balanceOf(acct.bob) == 10 * USDC
    with boa.reverts("erc20: insufficient allowance"):
        s.vault.redeem(10 * USDC, acct.bob, acct.alice, sender=acct.bob)


def test_withdraw_and_redeem_stop_while_paused(s, acct):
    s.vault.pause(sender=acct.admin)
    assert s.vault.maxWithdraw(acct.alice) == 0 and s.vault.maxRedeem(acct.alice) == 0
    with boa.reverts("vault: withdraw above maximum"):
        s.vault.withdraw(1, acct.alice, acct.alice, sender=acct.alice)
    with boa.reverts("vault: redeem above maximum"):
        s.vault.redeem(1, acct.alice, acct.alice, sender=acct.alice)
    s.vault.unpause(sender=acct.admin)
    s.vault.redeem(1, acct.alice, acct.alice, sender=acct.alice)


def test_pause_by_admin_or_emergency_role_unpause_by_admin_only(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.vault.pause(sender=acct.bob)
    s.vault.grantRole(EMERGENCY_ROLE, acct.bob, sender=acct.admin)
    s.vault.pause(sender=acct.bob)
    assert s.vault.paused()
    with boa.reverts("pausable: contract is paused"):
        s.vault.pause(sender=acct.admin)
    with boa.reverts("access_control: account is missing role"):
        s.vault.unpause(sender=acct.bob)
    s.vault.unpause(sender=acct.admin)
    with boa.reverts("pausable: contract is not paused"):
        s.vault.unpause(sender=acct.admin)


def test_set_deposit_cap_admin_only(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.vault.setDepositCap(1, sender=acct.keeper)
    s.vault.setDepositCap(1, sender=acct.admin)
    assert s.vault.depositCap() == 1


def test_set_strategy_hub_admin_only_and_never_away_from_deployed_assets(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.vault.setStrategyHub(acct.bob, sender=acct.bob)
    with boa.reverts("vault: zero hub"):
        s.vault.setStrategyHub("0x" + "00" * 20, sender=acct.admin)
    deploy_out(s, acct)
    with boa.reverts("vault: hub still holds assets"):
        s.vault.setStrategyHub(acct.bob, sender=acct.admin)
    s.hub.emergencyExit(s.safe_haven.address, 10, now() + 600, sender=acct.keeper)
    with boa.reverts("vault: hub still holds assets"):
        s.vault.setStrategyHub(acct.bob, sender=acct.admin)


def test_set_strategy_hub_allowed_while_the_hub_is_empty(s, acct):
    s.vault.setStrategyHub(s.hub.address, sender=acct.admin)
    assert s.vault.strategyHub() == s.hub.address


def test_allocate_only_by_the_hub_and_only_to_its_adapters(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.vault.allocate(s.adapters["curve"].address, 1, sender=acct.keeper)
    s.vault.grantRole(KEEPER_ROLE, acct.bob, sender=acct.admin)
    with boa.reverts("vault: caller is not the hub"):
        s.vault.allocate(s.adapters["curve"].address, 1, sender=acct.bob)
    with boa.reverts("vault: adapter not allowed"):
        s.vault.allocate(acct.thief, 1, sender=s.hub.address)
    s.vault.allocate(s.adapters["curve"].address, 5, sender=s.hub.address)
    assert s.usdc.balanceOf(s.adapters["curve"].address) == 6        # 1 unit of dust from deployment


def test_roles_are_granted_and_revoked_by_the_admin_only(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.vault.grantRole(EMERGENCY_ROLE, acct.bob, sender=acct.bob)
    s.vault.grantRole(EMERGENCY_ROLE, acct.bob, sender=acct.admin)
    with boa.reverts("access_control: account is missing role"):
        s.vault.revokeRole(EMERGENCY_ROLE, acct.bob, sender=acct.bob)
    s.vault.revokeRole(EMERGENCY_ROLE, acct.bob, sender=acct.admin)
    assert not s.vault.hasRole(EMERGENCY_ROLE, acct.bob)
    with boa.reverts("access_control: can only renounce roles for itself"):
        s.vault.renounceRole(KEEPER_ROLE, s.hub.address, sender=acct.admin)
    s.vault.grantRole(EMERGENCY_ROLE, acct.bob, sender=acct.admin)
    s.vault.renounceRole(EMERGENCY_ROLE, acct.bob, sender=acct.bob)
    assert not s.vault.hasRole(EMERGENCY_ROLE, acct.bob)


def test_share_transfers_follow_erc20(s, acct):
    s.vault.transfer(acct.bob, 5, sender=acct.alice)
    assert s.vault.balanceOf(acct.bob) == 5
    with boa.reverts("erc20: transfer amount exceeds balance"):
        s.vault.transfer(acct.alice, 6, sender=acct.bob)
    with boa.reverts("erc20: insufficient allowance"):
        s.vault.transferFrom(acct.alice, acct.bob, 1, sender=acct.bob)
    s.vault.approve(acct.bob, 1, sender=acct.alice)
    s.vault.transferFrom(acct.alice, acct.bob, 1, sender=acct.bob)
    assert s.vault.allowance(acct.alice, acct.bob) == 0


@pytest.mark.parametrize("fn", ["convertToShares", "convertToAssets"])
def test_conversions_follow_total_assets_including_deployed_yield(s, acct, fn):
    deploy_out(s, acct)
    before = getattr(s.vault, fn)(1000 * USDC)
    # Interest on the core Aave position: 1 % of the vault's NAV.
    s.usdc.mint(acct.market, 10_000 * USDC, sender=s.admin)
    s.usdc.approve(s.aave_pools["aave_core"].address, 10_000 * USDC, sender=acct.market)
    s.aave_pools["aave_core"].accrue(s.usdc.address, s.adapters["aave_core"].address, 10_000 * USDC,
                                     sender=acct.market)
    after = getattr(s.vault, fn)(1000 * USDC)
    assert (after < before) if fn == "convertToShares" else (after > before)
