"""Gas table: deploys the system on eth-tester (py-evm) and prints every state-changing function's gas from its
transaction receipt, as JSON (function -> gas used, intrinsic cost included).

    python contracts/gas_table.py            # from the repository root, with Tests/e2e/.venv's python

The rebalances each touch all four adapters: the first from an all-reserve vault (every position new), the second
from a steady state (two positions shrink, two grow). The seed's bound is 500,000 gas per rebalance, and the
policy caps a transaction's gas limit at 500,000, so for the signed calls the table also gives the gas limit they
need (eth_estimateGas, which counts gas before the refunds that `gasUsed` has already subtracted).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deployment import USDC, deploy_system, eth_tester_chain, fund_vault, time_travel  # noqa: E402

REBALANCE_GAS_BOUND = 500_000


def measure() -> dict:
    tester, w3, chain = eth_tester_chain()
    admin, market, keeper, alice, bob = (chain.account(x) for x in ["admin", "market", "keeper", "alice", "bob"])
    s = deploy_system(chain, admin, market, keeper=keeper)
    a = chain.address
    gas = {}

    def record(label, receipt):
        gas[label] = receipt["gasUsed"]

    def estimated(label, contract, fn, *args, sender):
        """Records the gas limit the call needs (eth_estimateGas: before refunds) beside the gas it uses."""
        call = getattr(contract.functions, fn)(*args)
        gas[label + " [gas limit needed]"] = call.estimate_gas({"from": sender})
        record(label, chain.transact(contract, fn, *args, sender=sender))

    def deadline():
        return w3.eth.get_block("latest")["timestamp"] + 600

    def targets(weights):
        return [(a(s.adapters[n]), w) for n, w in weights]

    chain.transact(s.usdc, "mint", alice, 2_000_000 * USDC, sender=admin)
    chain.transact(s.usdc, "approve", a(s.vault), 2**256 - 1, sender=alice)
    record("Vault.deposit (first)", chain.transact(s.vault, "deposit", 1_000_000 * USDC, alice, sender=alice))
    record("Vault.deposit", chain.transact(s.vault, "deposit", 500_000 * USDC, alice, sender=alice))
    record("Vault.mint", chain.transact(s.vault, "mint", 100_000 * USDC, alice, sender=alice))
    fund_vault(s, bob, 400_000 * USDC)

    first = [("aave_core", 3000), ("aave_prime", 2500), ("curve", 2500), ("erc4626", 1500)]
    estimated("StrategyHub.rebalance (4 adapters, all new)", s.hub, "rebalance", targets(first), 500, 10,
              deadline(), sender=keeper)
    time_travel(tester, 6 * 3600 + 1)
    chain.transact(s.price_feed, "setAnswer", 10**8, w3.eth.get_block("latest")["timestamp"], sender=admin)
    second = [("aave_core", 1500), ("aave_prime", 3500), ("curve", 1500), ("erc4626", 2000)]
    estimated("StrategyHub.rebalance (4 adapters, steady state)", s.hub, "rebalance", targets(second), 1500, 10,
              deadline(), sender=keeper)
    record("Vault.withdraw", chain.transact(s.vault, "withdraw", 50_000 * USDC, alice, alice, sender=alice))
    record("Vault.redeem", chain.transact(s.vault, "redeem", 50_000 * USDC, alice, alice, sender=alice))
    time_travel(tester, 24 * 3600 + 1)
    chain.transact(s.price_feed, "setAnswer", 10**8, w3.eth.get_block("latest")["timestamp"], sender=admin)
    record("KillSwitchManager.checkpoint (4 sources)", chain.transact(s.kill_switch, "checkpoint", sender=market))
    gas["KillSwitchManager.shouldEmergencyWithdraw (eth_estimateGas)"] = \
        s.kill_switch.functions.shouldEmergencyWithdraw().estimate_gas()
    estimated("StrategyHub.emergencyExit (3 adapters -> safe haven)", s.hub, "emergencyExit", a(s.safe_haven), 10,
              deadline(), sender=keeper)
    record("Vault.pause", chain.transact(s.vault, "pause", sender=admin))
    return gas


if __name__ == "__main__":
    table = measure()
    json.dump({"gas": table, "rebalance_bound": REBALANCE_GAS_BOUND}, sys.stdout, indent=2)
    print()
