"""Property-based tests (hypothesis, 1,000 examples each, derandomized so every run checks the same examples).

Share accounting (on a vault of its own, without a hub): any sequence of deposits, mints, withdrawals,
redemptions, round trips and yield keeps totalSupply equal to the holders' balances, never lets shares claim more
than totalAssets, pays exactly what the preview functions promised, and never lets a deposit-then-redeem round trip
profit.

NAV conservation: a rebalance to any targets within the hub's bounds, with the Curve pool's fee anywhere up to the
slippage bound, succeeds, puts every adapter at its target, and keeps NAV within the bound; when the pool is
drained mid-transaction, the rebalance either still keeps NAV within the bound or reverts and changes nothing.
"""
import boa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SPREAD, now, targets
from deployment import ADAPTERS, USDC

PROPERTY_SETTINGS = settings(max_examples=1000, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture(scope="module")
def rebalanced(deployed):
    """The deployed system after a first rebalance (cooldown 0, 24 a day, so each example may rebalance again)."""
    s, acct = deployed
    with boa.env.anchor():
        s.hub.setLimits(500, 500, 200, 0, 24, sender=acct.admin)
        s.hub.rebalance(targets(s, SPREAD), 500, 10, now() + 600, sender=acct.keeper)
        yield s, acct


# MARK: - share accounting

OPS = st.lists(st.tuples(st.sampled_from(["deposit", "mint", "withdraw", "redeem", "roundtrip", "yield"]),
                         st.sampled_from(["alice", "bob"]), st.integers(1, 10**12)),
               min_size=1, max_size=4)


@pytest.fixture(scope="module")
def share_vault(deployed):
    """A vault of its own with no hub (totalAssets = its balance), so each example's calls exercise the share maths
    only: through the hub, every call would also value four adapters (~10x the EVM work per example)."""
    s, acct = deployed
    with boa.env.anchor():
        token = s.chain.deploy("TestToken", "USD Coin (test double)", "USDC", 6, sender=acct.admin)
        vault = s.chain.deploy("Vault", token.address, "Rebalancer USDC", "rbUSD", 6, 2**256 - 1, sender=acct.admin)
        for who in [acct.alice, acct.bob]:
            token.mint(who, 10**30, sender=acct.admin)
            token.approve(vault.address, 2**256 - 1, sender=who)
        vault.deposit(1_000_000 * USDC, acct.alice, sender=acct.alice)
        yield token, vault, acct


@PROPERTY_SETTINGS
@given(ops=OPS)
def test_share_accounting(share_vault, ops):
    usdc, vault, acct = share_vault
    holders = [acct.alice, acct.bob]
    with boa.env.anchor():
        for op, name, amount in ops:
            who = getattr(acct, name)
            if op in ("deposit", "roundtrip"):
                expected = vault.previewDeposit(amount)
                if expected == 0:
                    with boa.reverts("vault: zero shares"):
                        vault.deposit(amount, who, sender=who)
                    continue
                before = vault.balanceOf(who)
                assert vault.deposit(amount, who, sender=who) == expected
                assert vault.balanceOf(who) == before + expected
                if op == "roundtrip":
                    back = vault.redeem(expected, who, who, sender=who)
                    assert back <= amount, "a round trip made a profit"
            elif op == "mint":
                assets = vault.previewMint(amount)
                assert assets >= vault.convertToAssets(amount)          # rounded in the vault's favour
                assert vault.mint(amount, who, sender=who) == assets
            elif op == "withdraw":
                assets = amount % (vault.maxWithdraw(who) + 1)
                if assets == 0:
                    continue
                shares = vault.previewWithdraw(assets)
                cash = usdc.balanceOf(who)
                assert vault.withdraw(assets, who, who, sender=who) == shares
                assert usdc.balanceOf(who) == cash + assets
            elif op == "redeem":
                shares = amount % (vault.maxRedeem(who) + 1)
                expected = vault.previewRedeem(shares)
                cash = usdc.balanceOf(who)
                assert vault.redeem(shares, who, who, sender=who) == expected
                assert usdc.balanceOf(who) == cash + expected
            else:   # yield: up to 10,000 USDC arrives in the vault
                usdc.mint(vault.address, amount % (10_000 * USDC) + 1, sender=acct.admin)
            assert vault.totalSupply() == sum(vault.balanceOf(h) for h in holders)
        assert vault.convertToAssets(vault.totalSupply()) <= vault.totalAssets()


# MARK: - NAV conservation across a rebalance

MAX_WEIGHTS = {key: weight for key, _, _, weight in ADAPTERS}


@st.composite
def allocations(draw):
    """Weights per adapter in {0} ∪ [500, max], multiples of 50, with a reserve of at least 500."""
    weights = {}
    for key, cap in MAX_WEIGHTS.items():
        weights[key] = draw(st.one_of(st.just(0), st.integers(10, cap // 50).map(lambda w: w * 50)))
    total = sum(weights.values())
    if total > 9500:
        # Scale down to fit the reserve, keeping each non-zero weight at or above the minimum.
        weights = {k: (max(500, w * 9500 // total // 50 * 50) if w else 0) for k, w in weights.items()}
        while sum(weights.values()) > 9500:
            biggest = max(weights, key=weights.get)
            weights[biggest] -= 50
    return weights


@PROPERTY_SETTINGS
@given(weights=allocations(), slippage=st.integers(1, 200), fee_share=st.integers(0, 100),
       drain_bps=st.one_of(st.just(0), st.integers(1, 400)))
def test_nav_conservation_across_a_rebalance(rebalanced, weights, slippage, fee_share, drain_bps):
    s, acct = rebalanced
    reserve = 10_000 - sum(weights.values())
    fee_bps = (slippage - 1) * fee_share // 100       # the pool's fee, anywhere below the slippage bound
    with boa.env.anchor():
        if fee_bps:
            s.curve_pool.setFee(fee_bps * 10**6, sender=s.admin)       # Curve's fee unit is 1e-10
        if drain_bps:
            s.curve_pool.setDrainOnAddBps(drain_bps, acct.thief, sender=s.admin)
        values_before = s.adapter_values()
        idle_before = s.idle()
        nav_before = idle_before + sum(values_before.values())
        try:
            s.hub.rebalance(targets(s, weights), reserve, slippage, now() + 600, sender=acct.keeper)
        except boa.BoaError:
            assert drain_bps, "a rebalance within the bounds failed without a drain"
            assert s.adapter_values() == values_before and s.idle() == idle_before, "a failed rebalance moved funds"
            return
        values = s.adapter_values()
        nav_after = s.idle() + sum(values.values())
        assert nav_after * 10_000 >= nav_before * (10_000 - slippage), (nav_before, nav_after)
        if not drain_bps:
            for key, weight in weights.items():
                assert abs(values[key] - nav_before * weight // 10_000) * 10_000 <= nav_before * slippage, key
