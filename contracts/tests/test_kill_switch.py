"""KillSwitchManager: every trigger on and off, the latch, and each function's allowed and refused calls."""
import boa
import pytest
from eth_utils import keccak

from conftest import SPREAD, later, now, targets
from deployment import MARKET_LIQUIDITY, USDC

GUARDIAN_ROLE = keccak(text="GUARDIAN_ROLE")
PEG, TVL_DROP, UTILIZATION, ORACLE, GOVERNANCE = 1, 2, 4, 8, 16


def verdict(s):
    return tuple(s.kill_switch.shouldEmergencyWithdraw())


def test_healthy_markets_trigger_nothing(s, acct):
    assert verdict(s) == (False, "")
    assert s.kill_switch.triggers() == 0 and not s.kill_switch.shouldExit()
    with boa.reverts("ksm: no trigger active"):
        s.kill_switch.trip(sender=acct.stranger)


@pytest.mark.parametrize("price,broken", [(98_000_000, False), (97_999_999, True), (102_000_000, False),
                                          (102_000_001, True), (0, True), (-1, True)])
def test_peg_trigger_outside_98_to_102_cents(s, acct, price, broken):
    s.price_feed.setAnswer(price, now(), sender=acct.admin)
    assert s.kill_switch.checkStablecoinPeg() == broken
    assert bool(s.kill_switch.triggers() & PEG) == broken
    if broken:
        assert verdict(s) == (True, "Stablecoin depeg detected")


@pytest.mark.parametrize("age,failed", [(3600, False), (3601, True)])
def test_oracle_trigger_when_older_than_an_hour(s, acct, age, failed):
    s.price_feed.setAnswer(10**8, now() - age, sender=acct.admin)
    assert s.kill_switch.checkOracleHealth() == failed
    assert verdict(s) == ((True, "Oracle failure detected") if failed else (False, ""))


def test_oracle_trigger_for_a_price_from_the_future(s, acct):
    s.price_feed.setAnswer(10**8, now() + 60, sender=acct.admin)
    assert s.kill_switch.checkOracleHealth()


def drain_aave(s, acct, fraction_bps):
    """A third party borrows `fraction_bps` of the core market's liquidity (utilisation goes up)."""
    supplied = s.a_tokens["aave_core"].totalSupply()
    s.aave_pools["aave_core"].borrow(s.usdc.address, supplied * fraction_bps // 10_000, acct.thief,
                                     sender=acct.stranger)


@pytest.mark.parametrize("borrowed_bps,spiked", [(9500, False), (9501, True)])
def test_utilization_trigger_above_95_percent(s, acct, borrowed_bps, spiked):
    drain_aave(s, acct, borrowed_bps)
    core = s.adapters["aave_core"].address
    assert s.adapters["aave_core"].utilizationBps() == borrowed_bps
    assert s.kill_switch.checkUtilization(core) == spiked
    assert verdict(s) == ((True, "Utilization spike detected") if spiked else (False, ""))


@pytest.mark.parametrize("withdrawn_bps,crashed", [(3000, False), (3001, True)])
def test_tvl_trigger_against_a_reference_at_least_24_hours_old(s, acct, withdrawn_bps, crashed):
    prime = s.adapters["aave_prime"].address
    reference = s.a_tokens["aave_prime"].totalSupply()
    # The market's own depositor leaves; within the first 24 h there is no reference yet.
    s.aave_pools["aave_prime"].withdraw(s.usdc.address, reference * withdrawn_bps // 10_000, acct.market,
                                        sender=acct.market)
    assert not s.kill_switch.checkTVLDrop(prime)
    later(24 * 3600, s, acct.admin)
    assert s.kill_switch.referenceTVL(prime) == reference
    assert s.kill_switch.checkTVLDrop(prime) == crashed
    assert verdict(s) == ((True, "TVL crash detected") if crashed else (False, ""))


def test_checkpoint_keeps_a_reference_between_24_and_48_hours_old(s, acct):
    prime = s.adapters["aave_prime"].address
    first = s.a_tokens["aave_prime"].totalSupply()
    later(12 * 3600, s, acct.admin)
    s.kill_switch.checkpoint(sender=acct.stranger)       # too early: changes nothing
    assert s.kill_switch.latestCheckpoint(prime)[0] == first
    later(12 * 3600, s, acct.admin)
    s.aave_pools["aave_prime"].withdraw(s.usdc.address, MARKET_LIQUIDITY // 2, acct.market, sender=acct.market)
    s.kill_switch.checkpoint(sender=acct.stranger)       # 24 h on: the halved TVL is the new latest
    assert s.kill_switch.referenceTVL(prime) == first    # ... but the reference stays the 24 h old one
    assert s.kill_switch.checkTVLDrop(prime)
    later(24 * 3600, s, acct.admin)
    assert s.kill_switch.referenceTVL(prime) == first // 2
    assert not s.kill_switch.checkTVLDrop(prime)


def test_governance_trigger_set_by_the_guardian_only(s, acct):
    curve = s.adapters["curve"].address
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.setGovernanceAlert(curve, True, sender=acct.stranger)
    with boa.reverts("ksm: unknown source"):
        s.kill_switch.setGovernanceAlert(acct.stranger, True, sender=acct.admin)
    s.kill_switch.setGovernanceAlert(curve, True, sender=acct.admin)
    assert s.kill_switch.checkGovernanceAnomaly(curve)
    assert verdict(s) == (True, "Governance attack detected")
    s.kill_switch.setGovernanceAlert(curve, False, sender=acct.admin)
    assert verdict(s) == (False, "")


def test_the_reason_follows_the_seeds_order_and_triggers_lists_all(s, acct):
    drain_aave(s, acct, 9600)
    s.kill_switch.setGovernanceAlert(s.adapters["curve"].address, True, sender=acct.admin)
    s.price_feed.setAnswer(90_000_000, now() - 7200, sender=acct.admin)
    assert s.kill_switch.triggers() == PEG | UTILIZATION | ORACLE | GOVERNANCE
    assert verdict(s) == (True, "Stablecoin depeg detected")


def test_trip_latches_until_the_guardian_releases_with_no_trigger_active(s, acct):
    s.kill_switch.setGovernanceAlert(s.adapters["curve"].address, True, sender=acct.admin)
    s.kill_switch.trip(sender=acct.stranger)              # anyone may trip an active trigger
    assert s.kill_switch.engaged() and s.kill_switch.engagedTriggers() == GOVERNANCE
    assert s.kill_switch.shouldExit()
    with boa.reverts("ksm: already engaged"):
        s.kill_switch.trip(sender=acct.stranger)
    with boa.reverts("hub: kill switch triggered"):
        s.hub.rebalance(targets(s, SPREAD), 500, 10, now() + 600, sender=acct.keeper)
    s.hub.emergencyExit(s.safe_haven.address, 10, now() + 600, sender=acct.keeper)
    with boa.reverts("ksm: a trigger is still active"):
        s.kill_switch.release(sender=acct.admin)
    s.kill_switch.setGovernanceAlert(s.adapters["curve"].address, False, sender=acct.admin)
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.release(sender=acct.stranger)
    s.kill_switch.release(sender=acct.admin)
    assert not s.kill_switch.engaged() and not s.kill_switch.shouldExit()
    with boa.reverts("ksm: not engaged"):
        s.kill_switch.release(sender=acct.admin)


def test_engage_by_the_guardian_only(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.engage(sender=acct.stranger)
    s.kill_switch.engage(sender=acct.admin)
    assert s.kill_switch.engaged() and s.kill_switch.engagedTriggers() == 0


def test_add_source_admin_only_no_duplicates(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.addSource(s.adapters["curve"].address, sender=acct.stranger)
    with boa.reverts("ksm: source zero or present"):
        s.kill_switch.addSource(s.adapters["curve"].address, sender=acct.admin)
    with boa.reverts("ksm: source zero or present"):
        s.kill_switch.addSource("0x" + "00" * 20, sender=acct.admin)
    from deployment import CONTRACTS_DIR
    extra = boa.load_partial(str(CONTRACTS_DIR / "adapters/ERC4626Adapter.vy")).deploy(
        s.hub.address, s.vault.address, s.yield_vault.address)
    s.kill_switch.addSource(extra.address, sender=acct.admin)
    assert s.kill_switch.sources(4) == extra.address
    assert s.kill_switch.latestCheckpoint(extra.address)[0] == s.yield_vault.totalAssets()


def test_set_price_feed_and_thresholds_admin_only_and_in_range(s, acct):
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.setPriceFeed(acct.stranger, sender=acct.stranger)
    with boa.reverts("access_control: account is missing role"):
        s.kill_switch.setThresholds(100, 100, 100, 100, sender=acct.stranger)
    with boa.reverts("ksm: threshold out of range"):
        s.kill_switch.setThresholds(100, 100, 100, 0, sender=acct.admin)
    with boa.reverts("ksm: threshold out of range"):
        s.kill_switch.setThresholds(10_000, 100, 100, 60, sender=acct.admin)
    s.kill_switch.setThresholds(50, 3000, 9500, 3600, sender=acct.admin)
    s.price_feed.setAnswer(99_400_000, now(), sender=acct.admin)
    assert s.kill_switch.checkStablecoinPeg()             # 0.994 is outside ±0.5 %
    s.kill_switch.setPriceFeed(s.price_feed.address, sender=acct.admin)


def test_sources_include_every_adapter(s, acct):
    assert [s.kill_switch.sources(i) for i in range(4)] == [a.address for a in s.adapters.values()]
    assert s.adapters["curve"].protocolTVL() > 3 * MARKET_LIQUIDITY - USDC
