"""Safe mode on a real chain (eth-tester / py-evm): the contracts from contracts/, a real Safe v1.4.1 owned by the
appliance's HSM key and two co-signer test keys (threshold 2), and the real appliance on SoftHSM.

The appliance approves a rebalance; a co-signer adds a signature to the bundle; execTransaction succeeds and the
adapters hold the targets. A bundle with any Safe field or any calldata byte group changed fails on chain (the
appliance's signature no longer recovers to an owner), and so does the approved bundle with one signature only
or replayed. Then a kill-switch trigger (the price feed loses its peg) is tripped on chain, the appliance's kill
switch is engaged, its emergency exit is co-signed and executed, and every position ends in the safe haven.
"""
import contextlib

import pytest
from eth_account import Account
from eth_utils import to_checksum_address
from web3.logs import DISCARD

from appliance_harness import demo_policy_text, run_cli, running_appliance
from chain_harness import (COSIGNER_KEYS, SAFE_HAVEN, USDC, chain_policy, chain_proposal, fresh_chain,
                           packed_signatures, positions_match, safe_tx_args, setup_safe, sign_hash)

DEPOSIT = 1_000_000 * USDC
TARGETS = {"aave_core": 3000, "aave_prime": 2500, "curve": 2500, "erc4626": 1500}
RESERVE = 500


@pytest.fixture(scope="module")
def run():
    with contextlib.ExitStack() as stack:
        r = fresh_chain(DEPOSIT, safe=True)
        assert r.chain_id == 131277322940537
        policy = chain_policy(demo_policy_text(), r.system, r.chain_id, "safe", r.safe.address)
        r.app = stack.enter_context(running_appliance(policy))
        owners = [r.app.keeper] + [Account.from_key(k).address for k in COSIGNER_KEYS]
        setup_safe(r.w3, r.safe, owners, 2, r.admin)
        yield r


def propose(run, proposal):
    with run.app.client() as client:
        response = client.propose(proposal)
    assert (response["type"], response["decision"], response["reasons"]) == ("decision", "approved", []), response
    return response["signed"]["bundle"]


def exec_bundle(run, bundle, signatures: bytes):
    """execTransaction as a mined transaction from a third party; returns the receipt (raises if it reverts)."""
    call = run.safe.proxy.functions.execTransaction(*safe_tx_args(bundle), signatures)
    tx_hash = call.transact({"from": run.submitter, "gas": 3_000_000})
    return run.w3.eth.get_transaction_receipt(tx_hash)


def signatures_for(bundle, digest: bytes) -> bytes:
    """The appliance's signature from the bundle, and the first co-signer's over `digest`."""
    appliance = (bundle["appliance"]["address"], bytes.fromhex(bundle["appliance"]["signature"][2:]))
    return packed_signatures([appliance, sign_hash(COSIGNER_KEYS[0], digest)])


def safe_hash(run, bundle) -> bytes:
    """The SafeTx hash the Safe itself computes for the bundle's fields at the bundle's nonce."""
    return bytes(run.safe.proxy.functions.getTransactionHash(*safe_tx_args(bundle),
                                                             int(bundle["safe_tx"]["nonce"])).call())


def fails_on_chain(run, bundle, signatures) -> bool:
    before = (run.safe.proxy.functions.nonce().call(), run.system.adapter_values())
    try:
        receipt = exec_bundle(run, bundle, signatures)
        failed = receipt["status"] == 0
    except Exception:       # eth-tester refuses a reverting transaction (TransactionFailed / ContractLogicError)
        failed = True
    after = (run.safe.proxy.functions.nonce().call(), run.system.adapter_values())
    return failed and before == after


def changed_bundles(bundle):
    """The bundle with one Safe field changed (well-formed values), or one calldata argument changed."""
    tx = bundle["safe_tx"]
    other = to_checksum_address("0x" + "ab" * 20)
    changes = {
        "to": other, "value": "1", "operation": 1, "safe_tx_gas": "1", "base_gas": "1", "gas_price": "1",
        "gas_token": other, "refund_receiver": other, "nonce": str(int(tx["nonce"]) + 1),
    }
    for key, value in changes.items():
        yield f"safe_tx.{key}", {**bundle, "safe_tx": {**tx, key: value}}
    data = bytes.fromhex(tx["data"][2:])
    # One byte in the selector, and the last byte of each 32-byte word of the arguments (every weight, the reserve,
    # the slippage, the deadline, offsets and lengths).
    positions = [0] + [4 + 32 * i + 31 for i in range((len(data) - 4) // 32)]
    for pos in positions:
        changed = data[:pos] + bytes([data[pos] ^ 1]) + data[pos + 1:]
        yield f"data byte {pos}", {**bundle, "safe_tx": {**tx, "data": "0x" + changed.hex()}}


def test_safe_is_owned_by_the_appliance_and_two_cosigners(run):
    safe = run.safe.proxy.functions
    assert safe.getThreshold().call() == 2
    owners = set(safe.getOwners().call())
    assert run.app.keeper in owners and len(owners) == 3
    assert safe.nonce().call() == 0
    assert run.system.chain.view(run.system.hub, "safe") == run.safe.address


def test_approved_rebalance_executes_through_the_safe_and_positions_match_the_targets(run):
    targets = [(run.system.addr(run.system.adapters[k]), w) for k, w in TARGETS.items()]
    bundle = propose(run, chain_proposal("chain-safe-1", run.chain_id, targets, RESERVE))
    digest = bytes.fromhex(bundle["safe_tx_hash"][2:])
    assert safe_hash(run, bundle) == digest, "the Safe computes the bundle's SafeTx hash"
    assert bundle["safe_tx"]["nonce"] == "0"

    # Tampered bundles first (the Safe's nonce is still 0): each must revert and change nothing.
    variants = list(changed_bundles(bundle))
    assert len(variants) >= 20
    accepted = [what for what, changed in variants if not fails_on_chain(run, changed, signatures_for(bundle,
                                                                                                       safe_hash(run, changed)))]
    assert not accepted, f"changed bundles executed on chain: {accepted}"
    # The appliance's signature alone is below the threshold.
    appliance_only = bytes.fromhex(bundle["appliance"]["signature"][2:])
    assert fails_on_chain(run, bundle, appliance_only)

    nav_before = run.system.nav()
    receipt = exec_bundle(run, bundle, signatures_for(bundle, digest))
    assert receipt["status"] == 1
    success = run.safe.proxy.events.ExecutionSuccess().process_receipt(receipt, errors=DISCARD)
    assert len(success) == 1 and bytes(success[0]["args"]["txHash"]) == digest
    executed = run.system.hub.events.RebalanceExecuted().process_receipt(receipt, errors=DISCARD)
    assert len(executed) == 1 and executed[0]["args"]["caller"] == run.safe.address
    assert run.safe.proxy.functions.nonce().call() == 1
    nav_after = run.system.nav()
    assert nav_after * 10_000 >= nav_before * (10_000 - 10)
    assert positions_match(run.system, TARGETS, nav_before, tolerance_bps=2) == []
    assert abs(run.system.idle() - nav_before * RESERVE // 10_000) * 10_000 <= nav_before * 2
    # The same bundle again: the Safe's nonce has moved on.
    assert fails_on_chain(run, bundle, signatures_for(bundle, digest))
    run.rebalance_gas = receipt["gasUsed"]


def test_kill_switch_engagement_ends_with_every_position_in_the_safe_haven(run):
    s, chain = run.system, run.system.chain
    assert s.adapter_values()["aave_prime"] > 0, "runs after the rebalance"
    # The peg breaks: the kill-switch manager says so, and anyone may trip it on chain.
    now = run.w3.eth.get_block("latest")["timestamp"]
    chain.transact(s.price_feed, "setAnswer", 95_000_000, now, sender=run.admin)
    assert list(chain.view(s.kill_switch, "shouldEmergencyWithdraw")) == [True, "Stablecoin depeg detected"]
    chain.transact(s.kill_switch, "trip", sender=run.depositor)
    assert chain.view(s.kill_switch, "engaged") is True

    engaged = run_cli("killswitch", "engage", "--socket", run.app.socket, "--reason", "chain: USDC depeg", "--json")
    assert engaged.returncode == 0, engaged.stderr
    haven = s.addr(s.safe_haven)
    bundle = propose(run, chain_proposal("chain-safe-exit", run.chain_id, [(haven, 10_000 - RESERVE)], RESERVE,
                                         kind="emergency_exit"))
    assert bundle["decoded"]["function"] == "emergencyExit" and bundle["safe_tx"]["nonce"] == "1"
    digest = bytes.fromhex(bundle["safe_tx_hash"][2:])
    nav_before = s.nav()
    idle_before = s.idle()
    receipt = exec_bundle(run, bundle, signatures_for(bundle, digest))
    assert receipt["status"] == 1
    assert len(s.hub.events.EmergencyExitExecuted().process_receipt(receipt, errors=DISCARD)) == 1
    values = s.adapter_values()
    assert {k: v for k, v in values.items() if k != SAFE_HAVEN} == {"aave_prime": 0, "curve": 0, "erc4626": 0}
    assert s.idle() == idle_before
    assert s.nav() * 10_000 >= nav_before * (10_000 - 10)
    assert values[SAFE_HAVEN] + s.idle() == s.nav()
