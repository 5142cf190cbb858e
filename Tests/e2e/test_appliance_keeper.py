"""Keeper mode end to end: the real `appliance serve` (SoftHSM token made by `appliance init`) approves a long run of
proposals over its socket, and every signed transaction is checked with independent tools.

Each `signed.raw_transaction` must recover (eth-account) to the keeper address `init` printed, hash (keccak) to
`signed.transaction_hash`, carry consecutive nonces from 0, go to the policy's hub on chain 1 with the proposal's
gas fields, and its calldata must decode (eth-abi) as `rebalance((address,uint16)[],uint16,uint16,uint256)` to
exactly the proposal's targets, reserve and slippage, with deadline = decision time + `proposal.max_age`. After
`appliance killswitch engage --socket`, a rebalance is refused and an emergency exit decodes as
`emergencyExit(address,uint16,uint256)` to the safe haven.
"""
import json
import random
from dataclasses import dataclass

import eth_abi
import pytest
import rlp
from eth_account import Account
from eth_utils import keccak, to_checksum_address

from appliance_harness import (AllocationWalk, Exchange, demo_policy_text, emergency_exit, keeper_policy, proposal,
                               run_cli, running_appliance, send_timed, stress_policy)
from conftest import SEED, hx

APPROVALS = 200
REBALANCE_TYPES = ["(address,uint16)[]", "uint16", "uint16", "uint256"]
REBALANCE_SELECTOR = keccak(text="rebalance((address,uint16)[],uint16,uint16,uint256)")[:4]
EXIT_TYPES = ["address", "uint16", "uint256"]
EXIT_SELECTOR = keccak(text="emergencyExit(address,uint16,uint256)")[:4]


@dataclass(repr=False)   # a short repr keeps failure reports readable
class KeeperRun:
    keeper: str
    policy: object
    exchanges: list          # the APPROVALS rebalances, in order
    status: dict             # after them
    engaged: object          # `appliance killswitch engage` result
    blocked: Exchange        # a rebalance while the kill switch is engaged
    exit: Exchange           # the emergency exit then
    final_status: dict


@pytest.fixture(scope="module")
def run():
    rng = random.Random(SEED)
    with running_appliance(stress_policy(keeper_policy(demo_policy_text()))) as app:
        policy = app.policy
        assert policy.mode == "keeper"
        walk = AllocationWalk(policy, rng)
        exchanges = []
        with app.client() as client:
            for i in range(APPROVALS):
                targets, reserve = walk.next()
                exchanges.append(send_timed(client, proposal(rng, f"keeper-{i:04d}", targets, reserve)))
            status = client.status()
        engaged = run_cli("killswitch", "engage", "--socket", app.socket, "--reason", "e2e: keeper exit", "--json")
        with app.client() as client:
            targets, reserve = walk.next()
            blocked = send_timed(client, proposal(rng, "keeper-blocked", targets, reserve))
            exit_ = send_timed(client, emergency_exit(rng, "keeper-exit", policy.safe_haven))
            final_status = client.status()
    return KeeperRun(app.keeper, policy, exchanges, status, engaged, blocked, exit_, final_status)


def decode_eip1559(raw: bytes) -> dict:
    """Type 2 envelope: 0x02 || rlp([chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList,
    yParity, r, s])."""
    assert raw[0] == 2, f"transaction type {raw[0]}, not EIP-1559"
    items = rlp.decode(raw[1:])
    assert len(items) == 12, f"{len(items)} RLP fields"
    as_int = lambda b: int.from_bytes(b, "big")
    return {"chain_id": as_int(items[0]), "nonce": as_int(items[1]), "max_priority_fee_per_gas": as_int(items[2]),
            "max_fee_per_gas": as_int(items[3]), "gas": as_int(items[4]), "to": items[5], "value": as_int(items[6]),
            "data": items[7], "access_list": items[8], "y_parity": as_int(items[9])}


def raw_of(exchange: Exchange) -> bytes:
    raw = exchange.response["signed"]["raw_transaction"]
    assert raw.startswith("0x02"), raw[:10]
    return bytes.fromhex(raw[2:])


def test_every_proposal_is_approved_with_a_keeper_signature(run):
    assert len(run.exchanges) >= 100
    for ex in run.exchanges:
        r = ex.response
        assert r["type"] == "decision", r
        assert (r["proposal_id"], r["decision"], r["reasons"]) == (ex.proposal["id"], "approved", []), r
        assert set(r["signed"]) == {"mode", "raw_transaction", "transaction_hash", "from", "nonce"}, r["signed"]
        assert r["signed"]["mode"] == "keeper"
    assert run.status["mode"] == "keeper"
    assert run.status["signer_address"] == run.keeper


def test_transactions_recover_to_the_keeper_address_init_printed(run):
    for ex in run.exchanges + [run.exit]:
        signed = ex.response["signed"]
        assert Account.recover_transaction(raw_of(ex)) == run.keeper, ex.proposal["id"]
        assert signed["from"] == run.keeper


def test_transaction_hash_is_the_keccak_of_the_raw_transaction(run):
    for ex in run.exchanges + [run.exit]:
        assert ex.response["signed"]["transaction_hash"] == hx(keccak(raw_of(ex))), ex.proposal["id"]


def test_nonces_are_consecutive_from_zero(run):
    nonces = [ex.response["signed"]["nonce"] for ex in run.exchanges]
    assert nonces == list(range(len(run.exchanges)))
    assert [decode_eip1559(raw_of(ex))["nonce"] for ex in run.exchanges] == nonces
    assert run.status["next_nonce"] == len(run.exchanges)
    assert run.exit.response["signed"]["nonce"] == len(run.exchanges)
    assert decode_eip1559(raw_of(run.exit))["nonce"] == len(run.exchanges)
    assert run.final_status["next_nonce"] == len(run.exchanges) + 1


def test_transactions_go_to_the_hub_on_chain_1_with_the_proposal_gas_fields(run):
    for ex in run.exchanges + [run.exit]:
        tx = decode_eip1559(raw_of(ex))
        gas = ex.proposal["gas"]
        assert tx["chain_id"] == 1
        assert to_checksum_address(tx["to"]) == run.policy.hub
        assert tx["value"] == 0
        assert tx["access_list"] == []
        assert tx["max_fee_per_gas"] == int(gas["max_fee_per_gas"]), ex.proposal["id"]
        assert tx["max_priority_fee_per_gas"] == int(gas["max_priority_fee_per_gas"]), ex.proposal["id"]
        assert tx["gas"] == gas["gas_limit"], ex.proposal["id"]


def test_calldata_decodes_to_exactly_the_proposal_with_the_deadline(run):
    max_age = run.policy.max_age_seconds
    assert max_age == 600
    for ex in run.exchanges:
        data = decode_eip1559(raw_of(ex))["data"]
        assert data[:4] == REBALANCE_SELECTOR, ex.proposal["id"]
        targets, reserve, slippage, deadline = eth_abi.decode(REBALANCE_TYPES, data[4:])
        # Exactly: the canonical encoding of the decoded values is the calldata, byte for byte.
        assert eth_abi.encode(REBALANCE_TYPES, [targets, reserve, slippage, deadline]) == data[4:]
        assert [(to_checksum_address(a), w) for a, w in targets] == \
            [(t["adapter"], t["weight_bps"]) for t in ex.proposal["targets"]], ex.proposal["id"]
        assert reserve == ex.proposal["reserve_bps"]
        assert slippage == ex.proposal["max_slippage_bps"]
        assert ex.sent_at + max_age <= deadline <= ex.received_at + max_age, (ex.proposal["id"], deadline)


def test_kill_switch_refuses_rebalances_and_the_emergency_exit_goes_to_the_safe_haven(run):
    assert run.engaged.returncode == 0, run.engaged.stderr
    assert run.final_status["kill_switch"]["engaged"] is True
    assert run.final_status["kill_switch"]["reason"] == "e2e: keeper exit"

    blocked = run.blocked.response
    assert blocked["decision"] == "rejected", blocked
    assert "KILL_SWITCH_ENGAGED" in [r["code"] for r in blocked["reasons"]], blocked
    assert "signed" not in blocked

    ex = run.exit
    assert (ex.response["decision"], ex.response["reasons"]) == ("approved", []), ex.response
    data = decode_eip1559(raw_of(ex))["data"]
    assert data[:4] == EXIT_SELECTOR
    haven, slippage, deadline = eth_abi.decode(EXIT_TYPES, data[4:])
    assert eth_abi.encode(EXIT_TYPES, [haven, slippage, deadline]) == data[4:]
    assert to_checksum_address(haven) == run.policy.safe_haven
    assert slippage == ex.proposal["max_slippage_bps"]
    assert ex.sent_at + run.policy.max_age_seconds <= deadline <= ex.received_at + run.policy.max_age_seconds


def test_status_over_this_client_equals_appliance_status_json(appliance_server):
    """Two independent framings (this client and the Swift CLI's) read the same status object."""
    app = appliance_server(keeper_policy(demo_policy_text()))
    with app.client() as client:
        ours = client.status()
    cli = run_cli("status", "--socket", app.socket, "--json")
    assert cli.returncode == 0, cli.stderr
    theirs = json.loads(cli.stdout)
    # The CLI's own request may have moved the audit head (status requests are not audited, but allow for it).
    assert {k: v for k, v in ours.items() if k != "audit"} == {k: v for k, v in theirs.items() if k != "audit"}
    assert ours["type"] == "status" and ours["mode"] == "keeper" and ours["signer_address"] == app.keeper
    assert ours["policy_sha256"] == app.init["policy_sha256"]
    assert (ours["next_nonce"], ours["last_rebalance_at"], ours["rebalances_24h"], ours["turnover_24h_bps"]) == \
        (0, None, 0, 0)
    assert ours["kill_switch"] == {"engaged": False, "reason": None, "since": None}
