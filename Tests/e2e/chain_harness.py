"""The on-chain half of the end-to-end tests: an eth-tester (py-evm) chain with the contracts from contracts/ and a
real Safe v1.4.1 (bytecode and ABI bundled with safe-eth-py), and a policy for the real appliance that names them.

The Safe is a plain `Proxy` deployed before the appliance exists (so the policy can name its address) and set up
once the appliance's key is known: owners = the appliance's key and two co-signer test keys, threshold 2, Safe
nonce 0 (the appliance's first Safe nonce).
"""
import json
import re
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_utils import to_checksum_address

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "contracts"))

import deployment  # noqa: E402  (contracts/deployment.py)
from deployment import ADAPTERS, SAFE_HAVEN, USDC  # noqa: E402,F401

ZERO = "0x" + "00" * 20
# Publicly known test keys (never to hold anything real): the two co-signers of the Safe.
COSIGNER_KEYS = ["0x" + "11" * 32, "0x" + "22" * 32]
GWEI = 10**9


def fresh_chain(deposit: int, *, safe: bool) -> types.SimpleNamespace:
    """A new eth-tester chain with an admin, a market maker, a depositor and a submitter; in Safe mode an un-set-up
    Safe; the system deployed (the hub's callers: the Safe, or none until the keeper is known) and `deposit` USDC
    in the vault."""
    r = types.SimpleNamespace()
    r.tester, r.w3, r.chain = deployment.eth_tester_chain()
    r.chain_id = r.w3.eth.chain_id
    r.admin, market, r.depositor, r.submitter = (r.chain.account(x) for x in ["admin", "market", "user", "sub"])
    r.safe = deploy_unsetup_safe(r.w3, r.admin) if safe else None
    r.system = deployment.deploy_system(r.chain, r.admin, market, safe=r.safe.address if safe else None)
    deployment.fund_vault(r.system, r.depositor, deposit)
    return r


def safe_artifact(name: str) -> dict:
    import safe_eth
    path = Path(safe_eth.__file__).parent / "eth" / "contracts" / "abis" / f"{name}_V1_4_1.json"
    return json.loads(path.read_text())


@dataclass
class SafeDeployment:
    proxy: object           # web3 contract: the Safe (proxy address, Safe ABI)
    fallback_handler: str

    @property
    def address(self) -> str:
        return self.proxy.address


def deploy_unsetup_safe(w3, deployer: str) -> SafeDeployment:
    """Safe v1.4.1 singleton, fallback handler and a Proxy pointing at the singleton, not yet set up."""
    def deploy(name, *args):
        art = safe_artifact(name)
        factory = w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
        receipt = w3.eth.get_transaction_receipt(factory.constructor(*args).transact({"from": deployer}))
        assert receipt["status"] == 1
        return receipt["contractAddress"]

    singleton = deploy("Safe")
    handler = deploy("CompatibilityFallbackHandler")
    proxy = deploy("Proxy", singleton)
    return SafeDeployment(w3.eth.contract(address=proxy, abi=safe_artifact("Safe")["abi"]), handler)


def setup_safe(w3, safe: SafeDeployment, owners: list, threshold: int, sender: str) -> None:
    tx = safe.proxy.functions.setup(owners, threshold, ZERO, b"", safe.fallback_handler, ZERO, 0, ZERO)
    receipt = w3.eth.get_transaction_receipt(tx.transact({"from": sender}))
    assert receipt["status"] == 1


def chain_policy(base_text: str, system, chain_id: int, mode: str, safe: str | None) -> str:
    """The demo policy re-pointed at the deployed contracts: chain id, mode, hub, the four adapters (names, classes
    and weight caps as the hub's allowlist), safe haven, Safe. Turnover caps are opened to 10000 so that the first
    proposal may move from the all-reserve start into all four adapters."""
    text = re.sub(r"^chain_id = .*$", f"chain_id = {chain_id}", base_text, count=1, flags=re.MULTILINE)
    text = re.sub(r'^mode = .*$', f'mode = "{mode}"', text, count=1, flags=re.MULTILINE)
    text = re.sub(r'^hub = .*$', f'hub = "{system.addr(system.hub)}"', text, count=1, flags=re.MULTILINE)
    rows = "".join(f'"{system.addr(system.adapters[key])}" = {{ name = "{name}", class = "{cls}", '
                   f'max_weight_bps = {weight} }}\n' for key, name, cls, weight in ADAPTERS)
    text, n = re.subn(r"^\[adapters\][^\n]*\n(?:\"[^\n]*\n)+", "[adapters]\n" + rows, text, flags=re.MULTILINE)
    assert n == 1, "policy has no [adapters] table"
    text = re.sub(r"^max_turnover_bps = .*$", "max_turnover_bps = 10000", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^max_turnover_bps_per_24h = .*$", "max_turnover_bps_per_24h = 20000", text, count=1,
                  flags=re.MULTILINE)
    text = re.sub(r'^safe_haven = "[^"]*"', f'safe_haven = "{system.addr(system.safe_haven)}"', text, count=1,
                  flags=re.MULTILINE)
    if safe is None:
        text, n = re.subn(r"^\[safe\]\n(?:(?!\[).*\n)*", "", text, flags=re.MULTILINE)
    else:
        text, n = re.subn(r'^address = "[^"]*"', f'address = "{safe}"', text, count=1, flags=re.MULTILINE)
    assert n == 1, "policy [safe] table not found"
    return text


def chain_proposal(proposal_id: str, chain_id: int, targets: list, reserve_bps: int, *, kind: str = "rebalance",
                   max_slippage_bps: int = 10, gas_limit: int = 500_000) -> dict:
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "id": proposal_id, "created_at": created, "chain_id": chain_id, "kind": kind,
        "targets": [{"adapter": a, "weight_bps": w} for a, w in targets], "reserve_bps": reserve_bps,
        "max_slippage_bps": max_slippage_bps,
        # eth-tester's base fee starts at 1 gwei and only falls: 3 gwei covers it with the 1 gwei tip.
        "gas": {"max_fee_per_gas": str(3 * GWEI), "max_priority_fee_per_gas": str(GWEI), "gas_limit": gas_limit},
        "expected": {"apy_gain_bps": 120, "gas_cost_bps": 2, "max_risk_score": 30},
        "evidence": {"model": "e2e-chain", "data_through": created},
    }


def safe_tx_args(bundle: dict) -> list:
    tx = bundle["safe_tx"]
    return [to_checksum_address(tx["to"]), int(tx["value"]), bytes.fromhex(tx["data"][2:]), tx["operation"],
            int(tx["safe_tx_gas"]), int(tx["base_gas"]), int(tx["gas_price"]), to_checksum_address(tx["gas_token"]),
            to_checksum_address(tx["refund_receiver"])]


def sign_hash(key: str, digest: bytes) -> tuple[str, bytes]:
    signed = Account.unsafe_sign_hash(digest, private_key=key)
    return Account.from_key(key).address, bytes(signed.signature)


def packed_signatures(pairs: list) -> bytes:
    """Safe's signature bytes: each 65-byte r‖s‖v, ordered by owner address ascending."""
    return b"".join(sig for _, sig in sorted(pairs, key=lambda p: int(p[0], 16)))


def positions_match(system, targets: dict, nav: int, tolerance_bps: int) -> list:
    """Differences between each adapter's value and nav × weight, beyond tolerance_bps of nav (empty = match)."""
    out = []
    for key, value in system.adapter_values().items():
        want = nav * targets.get(key, 0) // 10_000
        if abs(value - want) * 10_000 > nav * tolerance_bps:
            out.append((key, value, want))
    return out
