"""Keeper mode on a real chain (eth-tester / py-evm): the appliance's HSM key is the hub's keeper, funded with ETH;
the raw EIP-1559 transactions the appliance signs are sent as they are, mined, and executed by the hub.

A rebalance across all four adapters is mined under the seed's 500,000 gas and leaves the targets in place. After
the appliance's kill switch is engaged, its emergency exit with one calldata byte changed recovers to another
address, which the hub refuses (nothing moves); the exit as signed is mined and everything ends in the safe haven.
"""
import contextlib

import pytest
import rlp
from eth_account import Account
from web3.logs import DISCARD

from appliance_harness import demo_policy_text, run_cli, running_appliance
from chain_harness import SAFE_HAVEN, USDC, chain_policy, chain_proposal, fresh_chain, positions_match

DEPOSIT = 2_000_000 * USDC
TARGETS = {"aave_core": 2000, "aave_prime": 3000, "curve": 2500, "erc4626": 2000}
RESERVE = 500


@pytest.fixture(scope="module")
def run():
    with contextlib.ExitStack() as stack:
        r = fresh_chain(DEPOSIT, safe=False)
        policy = chain_policy(demo_policy_text(), r.system, r.chain_id, "keeper", None)
        r.app = stack.enter_context(running_appliance(policy))
        r.chain.transact(r.system.hub, "setCallers", r.app.keeper, "0x" + "00" * 20, sender=r.admin)
        r.w3.eth.send_transaction({"from": r.admin, "to": r.app.keeper, "value": 10**18})
        yield r


def signed_raw(run, proposal) -> bytes:
    with run.app.client() as client:
        response = client.propose(proposal)
    assert (response["decision"], response["reasons"]) == ("approved", []), response
    assert response["signed"]["mode"] == "keeper" and response["signed"]["from"] == run.app.keeper
    return bytes.fromhex(response["signed"]["raw_transaction"][2:])


def changed_calldata(raw: bytes, position: int) -> bytes:
    """The EIP-1559 transaction re-encoded with one calldata byte flipped and the original signature kept."""
    assert raw[0] == 2
    fields = rlp.decode(raw[1:])
    data = bytearray(fields[7])
    data[position] ^= 1
    fields[7] = bytes(data)
    return b"\x02" + rlp.encode(fields)


def mined_successfully(run, raw: bytes) -> bool:
    try:
        receipt = run.w3.eth.get_transaction_receipt(run.w3.eth.send_raw_transaction(raw))
    except Exception:       # eth-tester refuses a reverting transaction (TransactionFailed)
        return False
    return receipt["status"] == 1


def test_keeper_rebalance_is_mined_and_positions_match_the_targets(run):
    s = run.system
    targets = [(s.addr(s.adapters[k]), w) for k, w in TARGETS.items()]
    raw = signed_raw(run, chain_proposal("chain-keeper-1", run.chain_id, targets, RESERVE))
    nav_before = s.nav()
    receipt = run.w3.eth.get_transaction_receipt(run.w3.eth.send_raw_transaction(raw))
    assert receipt["status"] == 1
    assert receipt["from"] == run.app.keeper and receipt["to"] == s.addr(s.hub)
    assert receipt["gasUsed"] < 500_000, receipt["gasUsed"]
    assert len(s.hub.events.RebalanceExecuted().process_receipt(receipt, errors=DISCARD)) == 1
    assert positions_match(s, TARGETS, nav_before, tolerance_bps=2) == []
    assert s.nav() * 10_000 >= nav_before * (10_000 - 10)


def test_keeper_emergency_exit_after_the_kill_switch_ends_in_the_safe_haven(run):
    s = run.system
    engaged = run_cli("killswitch", "engage", "--socket", run.app.socket, "--reason", "chain: keeper exit", "--json")
    assert engaged.returncode == 0, engaged.stderr
    haven = s.addr(s.safe_haven)
    raw = signed_raw(run, chain_proposal("chain-keeper-exit", run.chain_id, [(haven, 10_000 - RESERVE)], RESERVE,
                                         kind="emergency_exit"))
    # The same signed transaction with one calldata byte changed (the safe haven's last byte) recovers to another
    # address. Funded with ETH, that address's transaction is mined and the hub refuses it: nothing moves.
    changed = changed_calldata(raw, 4 + 31)
    stranger = Account.recover_transaction(changed)
    assert stranger != run.app.keeper
    run.w3.eth.send_transaction({"from": run.admin, "to": stranger, "value": 10**18})
    values_before = s.adapter_values()
    assert not mined_successfully(run, changed)
    assert s.adapter_values() == values_before

    nav_before = s.nav()
    receipt = run.w3.eth.get_transaction_receipt(run.w3.eth.send_raw_transaction(raw))
    assert receipt["status"] == 1
    assert len(s.hub.events.EmergencyExitExecuted().process_receipt(receipt, errors=DISCARD)) == 1
    values = s.adapter_values()
    assert [k for k, v in values.items() if v != 0] == [SAFE_HAVEN]
    assert s.nav() * 10_000 >= nav_before * (10_000 - 10)
    assert Account.recover_transaction(raw) == run.app.keeper
