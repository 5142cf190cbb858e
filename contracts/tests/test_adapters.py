"""Adapters (Aave v3, Curve 3pool, ERC-4626): only the hub moves funds; each move honours its minimum; withdrawals
go to the vault; the position's value is reported in the asset's units."""
import boa
import pytest

from deployment import USDC

NAMES = ["aave_core", "aave_prime", "curve", "erc4626"]
AMOUNT = 100_000 * USDC


def fund(s, name):
    """What vault.allocate does: the asset is sent to the adapter before the hub calls deposit."""
    s.usdc.mint(s.adapters[name].address, AMOUNT, sender=s.admin)


@pytest.mark.parametrize("name", NAMES)
def test_deposit_and_withdrawals_by_the_hub(s, acct, name):
    adapter, hub, vault_before = s.adapters[name], s.hub.address, s.idle()
    assert adapter.asset() == s.usdc.address
    fund(s, name)
    adapter.deposit(AMOUNT, AMOUNT * 9990 // 10_000, sender=hub)
    value = adapter.totalAssets()
    assert AMOUNT * 9990 // 10_000 <= value <= AMOUNT
    got = adapter.withdraw(AMOUNT // 4, AMOUNT // 4 * 9990 // 10_000, sender=hub)
    assert AMOUNT // 4 * 9990 // 10_000 <= got and s.idle() == vault_before + got
    rest = adapter.withdrawAll(0, sender=hub)
    assert adapter.totalAssets() == 0
    assert s.idle() == vault_before + got + rest
    assert got + rest >= AMOUNT * 9980 // 10_000


@pytest.mark.parametrize("name", NAMES)
def test_every_move_is_refused_to_anyone_but_the_hub(s, acct, name):
    adapter = s.adapters[name]
    fund(s, name)
    for who in [acct.keeper, acct.safe, acct.admin, s.vault.address]:
        with boa.reverts("adapter: caller is not the hub"):
            adapter.deposit(AMOUNT, 0, sender=who)
        with boa.reverts("adapter: caller is not the hub"):
            adapter.withdraw(1, 0, sender=who)
        with boa.reverts("adapter: caller is not the hub"):
            adapter.withdrawAll(0, sender=who)


@pytest.mark.parametrize("name", NAMES)
def test_a_withdrawal_below_its_minimum_is_refused(s, acct, name):
    adapter = s.adapters[name]
    fund(s, name)
    adapter.deposit(AMOUNT, 0, sender=s.hub.address)
    value = adapter.totalAssets()
    with boa.reverts():
        adapter.withdrawAll(value + 1, sender=s.hub.address)
    with boa.reverts():
        adapter.withdraw(AMOUNT // 2, AMOUNT // 2 + 1, sender=s.hub.address)


def test_aave_deposit_refused_when_the_market_mints_too_few_atokens(s, acct):
    s.aave_pools["aave_prime"].setSupplyLossBps(1, sender=s.admin)
    fund(s, "aave_prime")
    with boa.reverts("adapter: deposit below minimum"):
        s.adapters["aave_prime"].deposit(AMOUNT, AMOUNT, sender=s.hub.address)
    s.adapters["aave_prime"].deposit(AMOUNT, AMOUNT * 9999 // 10_000, sender=s.hub.address)


def test_curve_deposit_refused_below_the_minimum_mint(s, acct):
    fund(s, "curve")
    with boa.reverts("Slippage screwed you"):
        s.adapters["curve"].deposit(AMOUNT, AMOUNT, sender=s.hub.address)     # the 0.01 % fee makes it short


def test_erc4626_deposit_refused_below_its_minimum_value(s, acct):
    fund(s, "erc4626")
    with boa.reverts("adapter: deposit below minimum"):
        s.adapters["erc4626"].deposit(AMOUNT, AMOUNT + 1, sender=s.hub.address)


def test_risk_views(s, acct):
    core = s.adapters["aave_core"]
    assert core.protocolTVL() == s.a_tokens["aave_core"].totalSupply()
    assert core.utilizationBps() == 0
    assert s.adapters["curve"].utilizationBps() == 0 and s.adapters["erc4626"].utilizationBps() == 0
    assert s.adapters["erc4626"].protocolTVL() == s.yield_vault.totalAssets()
