"""StrategyHub: each external function with a call it allows and calls it refuses (with the exact reason)."""
import boa
import pytest

from conftest import DEPOSIT, SPREAD, later, now, targets

ZERO = "0x" + "00" * 20


def rebalance(s, sender, weights=SPREAD, reserve=500, slippage=10, deadline=None):
    return s.hub.rebalance(targets(s, weights), reserve, slippage, now() + 600 if deadline is None else deadline,
                           sender=sender)


def exit_(s, sender, haven=None, slippage=10, deadline=None):
    return s.hub.emergencyExit(haven or s.safe_haven.address, slippage, now() + 600 if deadline is None else deadline,
                               sender=sender)


# MARK: - rebalance


@pytest.mark.parametrize("caller", ["keeper", "safe"])
def test_rebalance_by_keeper_or_safe_moves_the_vault_to_the_targets(s, acct, caller):
    nav = s.nav()
    rebalance(s, getattr(acct, caller))
    values = s.adapter_values()
    for name, weight in SPREAD.items():
        assert abs(values[name] - nav * weight // 10_000) <= nav // 10_000, name
    assert abs(s.idle() - nav * 500 // 10_000) <= nav // 10_000
    assert s.nav() * 10_000 >= nav * (10_000 - 10)
    logs = s.hub.get_logs()
    assert [type(e).__name__ for e in logs if type(e).__name__ == "RebalanceExecuted"] == ["RebalanceExecuted"]
    assert s.hub.lastRebalanceAt() == now()


def test_rebalance_refuses_any_other_caller(s, acct):
    for who in [acct.stranger, acct.admin, acct.alice]:
        with boa.reverts("hub: caller is not the keeper or the safe"):
            rebalance(s, who)


def test_rebalance_refuses_a_passed_deadline(s, acct):
    rebalance(s, acct.keeper, deadline=now())           # the deadline's own second is still allowed
    later(6 * 3600 + 1, s, acct.admin)
    with boa.reverts("hub: deadline passed"):
        rebalance(s, acct.keeper, deadline=now() - 1)


def test_rebalance_refuses_slippage_above_the_cap(s, acct):
    rebalance(s, acct.keeper, slippage=200)
    later(6 * 3600 + 1, s, acct.admin)
    with boa.reverts("hub: slippage above cap"):
        rebalance(s, acct.keeper, slippage=201)


def test_rebalance_refuses_while_the_vault_is_paused(s, acct):
    s.vault.pause(sender=acct.admin)
    with boa.reverts("hub: vault paused"):
        rebalance(s, acct.keeper)


@pytest.mark.parametrize("trigger", ["latched", "peg", "oracle"])
def test_rebalance_refuses_while_the_kill_switch_says_exit(s, acct, trigger):
    if trigger == "latched":
        s.kill_switch.engage(sender=acct.admin)
    elif trigger == "peg":
        s.price_feed.setAnswer(97_000_000, now(), sender=acct.admin)
    else:
        later(3601)
    with boa.reverts("hub: kill switch triggered"):
        rebalance(s, acct.keeper)


def test_rebalance_refuses_within_the_cooldown_and_allows_after_it(s, acct):
    rebalance(s, acct.keeper)
    later(6 * 3600 - 1, s, acct.admin)
    with boa.reverts("hub: cooldown active"):
        rebalance(s, acct.keeper, weights={"aave_core": 5000, "aave_prime": 4500})
    later(1, s, acct.admin)
    rebalance(s, acct.keeper, weights={"aave_core": 5000, "aave_prime": 4500})


def test_rebalance_refuses_a_fifth_rebalance_in_24_hours(s, acct):
    s.hub.setLimits(500, 500, 200, 3600, 4, sender=acct.admin)
    plans = [SPREAD, {"aave_core": 5000, "aave_prime": 4500}, SPREAD, {"aave_core": 4500, "curve": 3000,
                                                                          "erc4626": 2000}]
    for plan in plans:
        rebalance(s, acct.keeper, weights=plan)
        later(3601, s, acct.admin)
    assert s.hub.rebalancesInLast24h() == 4
    with boa.reverts("hub: daily rebalance limit reached"):
        rebalance(s, acct.keeper)
    later(24 * 3600 - 4 * 3601 + 1, s, acct.admin)     # the first one leaves the window
    rebalance(s, acct.keeper)


@pytest.mark.parametrize("weights,reserve,reason", [
    ({"aave_core": 5001, "aave_prime": 4499}, 500, "hub: weight above maximum"),
    ({"curve": 3001, "aave_core": 5000, "aave_prime": 1499}, 500, "hub: weight above maximum"),
    ({"aave_core": 499, "aave_prime": 5000, "curve": 3000, "erc4626": 1001}, 500, "hub: weight below minimum"),
    ({"aave_core": 5000, "aave_prime": 4000}, 500, "hub: weights and reserve do not sum to 10000"),
    ({"aave_core": 5000, "aave_prime": 5000}, 0, "hub: reserve below minimum"),
    ({"aave_core": 5000, "aave_prime": 4600}, 400, "hub: reserve below minimum"),
])
def test_rebalance_refuses_weights_outside_the_bounds(s, acct, weights, reserve, reason):
    with boa.reverts(reason):
        rebalance(s, acct.keeper, weights=weights, reserve=reserve)


def test_rebalance_refuses_an_adapter_off_the_allowlist_and_a_duplicate(s, acct):
    with boa.reverts("hub: adapter not allowed"):
        s.hub.rebalance([(acct.stranger, 5000), (s.adapters["aave_core"].address, 4500)], 500, 10, now() + 600,
                        sender=acct.keeper)
    core = s.adapters["aave_core"].address
    with boa.reverts("hub: duplicate adapter"):
        s.hub.rebalance([(core, 4500), (core, 5000)], 500, 10, now() + 600, sender=acct.keeper)


def test_rebalance_allows_zero_weights_and_empties_those_adapters(s, acct):
    rebalance(s, acct.keeper)
    later(6 * 3600 + 1, s, acct.admin)
    rebalance(s, acct.keeper, weights={"aave_core": 5000, "aave_prime": 4500, "curve": 0})
    values = s.adapter_values()
    assert values["curve"] == 0 and values["erc4626"] == 0


def test_rebalance_refuses_when_nav_falls_more_than_the_slippage_bound(s, acct):
    rebalance(s, acct.keeper)
    later(6 * 3600 + 1, s, acct.admin)
    # The Curve pool loses 2 % of every coin right after the next deposit: existing LP is worth less too.
    s.curve_pool.setDrainOnAddBps(200, acct.thief, sender=acct.admin)
    with boa.reverts("hub: NAV fell more than maxSlippageBps"):
        rebalance(s, acct.keeper, weights={"aave_core": 2500, "aave_prime": 2500, "curve": 3000, "erc4626": 1500})


def test_rebalance_trips_the_circuit_breaker_when_nav_falls_more_than_20_percent(s, acct):
    s.hub.setLimits(500, 500, 100, 6 * 3600, 4, sender=acct.admin)
    s.hub.removeAdapter(s.adapters["erc4626"].address, sender=acct.admin)
    s.hub.addAdapter(s.adapters["erc4626"].address, 2000, sender=acct.admin)
    # Allow Curve up to 9500 for this test: a 25 % drain of a 95 % Curve position is a 23.75 % NAV fall.
    s.hub.removeAdapter(s.adapters["curve"].address, sender=acct.admin)
    s.hub.addAdapter(s.adapters["curve"].address, 9500, sender=acct.admin)
    s.curve_pool.setDrainOnAddBps(2500, acct.thief, sender=acct.admin)
    with boa.reverts("hub: circuit breaker (NAV fell > 20 %)"):
        rebalance(s, acct.keeper, weights={"curve": 9500}, slippage=100)
    s.curve_pool.setDrainOnAddBps(0, acct.thief, sender=acct.admin)
    rebalance(s, acct.keeper, weights={"curve": 9500}, slippage=100)


def test_rebalance_refuses_a_deposit_the_market_short_changes(s, acct):
    s.aave_pools["aave_core"].setSupplyLossBps(11, sender=acct.admin)
    with boa.reverts("adapter: deposit below minimum"):
        rebalance(s, acct.keeper, slippage=10)


# MARK: - emergencyExit


def test_emergency_exit_moves_every_position_into_the_safe_haven(s, acct):
    rebalance(s, acct.keeper)
    nav, idle = s.nav(), s.idle()
    exit_(s, acct.safe)
    values = s.adapter_values()
    assert [k for k, v in values.items() if v] == ["aave_core"]
    assert s.idle() == idle and s.nav() * 10_000 >= nav * (10_000 - 10)


def test_emergency_exit_is_allowed_in_the_cooldown_while_paused_and_with_the_kill_switch_engaged(s, acct):
    rebalance(s, acct.keeper)
    s.vault.pause(sender=acct.admin)
    s.kill_switch.engage(sender=acct.admin)
    exit_(s, acct.keeper)
    assert s.adapter_values()["aave_prime"] == 0


@pytest.mark.parametrize("case,reason", [
    ("caller", "hub: caller is not the keeper or the safe"),
    ("deadline", "hub: deadline passed"),
    ("haven", "hub: not the safe haven"),
    ("zero_haven", "hub: not the safe haven"),
    ("slippage", "hub: slippage above cap"),
])
def test_emergency_exit_refuses(s, acct, case, reason):
    rebalance(s, acct.keeper)
    args = {"sender": acct.keeper}
    if case == "caller":
        args["sender"] = acct.stranger
    elif case == "deadline":
        args["deadline"] = now() - 1
    elif case == "haven":
        args["haven"] = s.adapters["aave_prime"].address
    elif case == "zero_haven":
        with boa.reverts(reason):
            s.hub.emergencyExit(ZERO, 10, now() + 600, sender=acct.keeper)
        return
    else:
        args["slippage"] = 201
    with boa.reverts(reason):
        exit_(s, **args)


def test_emergency_exit_refuses_when_a_withdrawal_pays_less_than_the_bound(s, acct):
    rebalance(s, acct.keeper)
    s.curve_pool.setFee(20_000_000, sender=acct.admin)      # 0.2 % fee > 0.1 % bound
    with boa.reverts("Not enough coins removed"):
        exit_(s, acct.keeper, slippage=10)
    exit_(s, acct.keeper, slippage=50)


# MARK: - administration


def test_admin_functions_are_refused_to_everyone_else(s, acct):
    a = s.adapters["aave_core"].address
    for call in [lambda who: s.hub.setCallers(who, who, sender=who),
                 lambda who: s.hub.setKillSwitch(who, sender=who),
                 lambda who: s.hub.setSafeHaven(a, sender=who),
                 lambda who: s.hub.addAdapter(who, 100, sender=who),
                 lambda who: s.hub.removeAdapter(a, sender=who),
                 lambda who: s.hub.setLimits(500, 500, 200, 0, 4, sender=who)]:
        for who in [acct.keeper, acct.safe, acct.stranger]:
            with boa.reverts("access_control: account is missing role"):
                call(who)


def test_set_callers_replaces_keeper_and_safe(s, acct):
    s.hub.setCallers(acct.bob, ZERO, sender=acct.admin)
    rebalance(s, acct.bob)
    later(6 * 3600 + 1, s, acct.admin)
    for old in [acct.keeper, acct.safe]:
        with boa.reverts("hub: caller is not the keeper or the safe"):
            rebalance(s, old)


def test_a_zero_caller_never_matches(s, acct):
    s.hub.setCallers(ZERO, ZERO, sender=acct.admin)
    with boa.reverts("hub: caller is not the keeper or the safe"):
        rebalance(s, ZERO)


def test_set_kill_switch_to_none_skips_the_check(s, acct):
    s.kill_switch.engage(sender=acct.admin)
    s.hub.setKillSwitch(ZERO, sender=acct.admin)
    rebalance(s, acct.keeper)


def test_set_safe_haven_needs_an_allowlisted_adapter(s, acct):
    s.hub.setSafeHaven(s.adapters["aave_prime"].address, sender=acct.admin)
    assert s.hub.safeHaven() == s.adapters["aave_prime"].address
    with boa.reverts("hub: safe haven is not an adapter"):
        s.hub.setSafeHaven(acct.stranger, sender=acct.admin)


def test_add_adapter_checks_duplicates_caps_and_asset(s, acct):
    with boa.reverts("hub: adapter already added"):
        s.hub.addAdapter(s.adapters["curve"].address, 100, sender=acct.admin)
    with boa.reverts("hub: zero adapter"):
        s.hub.addAdapter(ZERO, 100, sender=acct.admin)
    s.hub.removeAdapter(s.adapters["curve"].address, sender=acct.admin)
    with boa.reverts("hub: weight above 10000"):
        s.hub.addAdapter(s.adapters["curve"].address, 10_001, sender=acct.admin)
    s.hub.addAdapter(s.adapters["curve"].address, 10_000, sender=acct.admin)
    assert s.hub.adapterCount() == 4 and s.hub.maxWeightBps(s.adapters["curve"].address) == 10_000


def test_add_adapter_refuses_an_adapter_for_another_asset(s, acct):
    from deployment import CONTRACTS_DIR
    other = boa.load_partial(str(CONTRACTS_DIR / "adapters/ERC4626Adapter.vy"))
    usdt_vault = boa.load_partial(str(CONTRACTS_DIR / "doubles/TestERC4626Vault.vy")).deploy(
        s.usdt.address, "USDT vault (test)", "yvUST")
    adapter = other.deploy(s.hub.address, s.vault.address, usdt_vault.address)
    with boa.reverts("hub: adapter asset differs"):
        s.hub.addAdapter(adapter.address, 1000, sender=acct.admin)


def test_remove_adapter_only_when_empty_and_not_the_haven(s, acct):
    rebalance(s, acct.keeper)
    with boa.reverts("hub: adapter not empty"):
        s.hub.removeAdapter(s.adapters["curve"].address, sender=acct.admin)
    with boa.reverts("hub: not an adapter"):
        s.hub.removeAdapter(acct.stranger, sender=acct.admin)
    later(6 * 3600 + 1, s, acct.admin)
    rebalance(s, acct.keeper, weights={"aave_core": 5000, "aave_prime": 4500})
    s.hub.removeAdapter(s.adapters["curve"].address, sender=acct.admin)
    assert not s.hub.isAdapter(s.adapters["curve"].address)
    assert s.hub.isAdapter(s.adapters["erc4626"].address)        # moved into the freed slot
    s.hub.removeAdapter(s.adapters["erc4626"].address, sender=acct.admin)
    assert s.hub.adapterCount() == 2


def test_the_safe_haven_cannot_be_removed(s, acct):
    assert s.adapter_values()["aave_core"] == 0
    with boa.reverts("hub: adapter is the safe haven"):
        s.hub.removeAdapter(s.adapters["aave_core"].address, sender=acct.admin)


def test_set_limits_checks_its_ranges(s, acct):
    s.hub.setLimits(0, 0, 1999, 0, 24, sender=acct.admin)
    for args, reason in [((10_001, 0, 0, 0, 4), "hub: bound above 10000"),
                         ((0, 10_001, 0, 0, 4), "hub: bound above 10000"),
                         ((0, 0, 2000, 0, 4), "hub: slippage cap not below the circuit breaker"),
                         ((0, 0, 0, 0, 0), "hub: daily limit outside 1-24"),
                         ((0, 0, 0, 0, 25), "hub: daily limit outside 1-24")]:
        with boa.reverts(reason):
            s.hub.setLimits(*args, sender=acct.admin)


def test_changing_the_daily_limit_keeps_the_last_rebalance_for_the_cooldown(s, acct):
    rebalance(s, acct.keeper)
    at = s.hub.lastRebalanceAt()
    s.hub.setLimits(500, 500, 200, 6 * 3600, 2, sender=acct.admin)
    assert s.hub.lastRebalanceAt() == at
    with boa.reverts("hub: cooldown active"):
        rebalance(s, acct.keeper, weights={"aave_core": 5000, "aave_prime": 4500})


def test_deployed_assets_is_the_sum_of_the_adapters(s, acct):
    assert s.hub.deployedAssets() == 0
    rebalance(s, acct.keeper)
    assert s.hub.deployedAssets() == sum(s.adapter_values().values())
    assert s.vault.totalAssets() == s.hub.deployedAssets() + s.idle()
    assert s.vault.totalAssets() >= DEPOSIT * (10_000 - 10) // 10_000


# MARK: - the pinned interface


def canonical(abi_input) -> str:
    if abi_input["type"].startswith("tuple"):
        inner = ",".join(canonical(c) for c in abi_input["components"])
        return f"({inner}){abi_input['type'][len('tuple'):]}"
    return abi_input["type"]


def test_the_two_signed_calls_have_exactly_the_pinned_signatures():
    """DESIGN.md, "On-chain interface": the appliance encodes these; the hub must decode exactly them."""
    from deployment import compiled
    abi, _ = compiled("StrategyHub")
    signatures = {f"{e['name']}({','.join(canonical(i) for i in e['inputs'])})"
                  for e in abi if e["type"] == "function" and e["name"] in ("rebalance", "emergencyExit")}
    assert signatures == {"rebalance((address,uint16)[],uint16,uint16,uint256)",
                          "emergencyExit(address,uint16,uint256)"}


def test_the_hub_refuses_unknown_calldata(s, acct):
    from eth.exceptions import Revert
    for data in [bytes.fromhex("deadbeef"), b"", bytes.fromhex("deadbeef") + b"\0" * 64]:
        with pytest.raises(Revert):
            boa.env.raw_call(s.hub.address, sender=acct.keeper, data=data)
    boa.env.raw_call(s.hub.address, sender=acct.keeper, data=bytes.fromhex("f79001c5"))   # adapterCount(): allowed
