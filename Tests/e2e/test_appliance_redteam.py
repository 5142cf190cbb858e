"""Red team: hostile proposals and hostile frames against a running appliance (real `appliance serve`, SoftHSM).

Every case is sent over the socket by this independent client and must be refused with exactly the pinned code(s) of
DESIGN.md ("Rejection reasons", protocol error codes), and must leave no signature behind: the response carries no
`signed`, the appliance's next nonce and kill switch are unchanged, no bundle file appears, and every audit entry
the case appended (`appliance audit export`) is a rejected decision or a protocol error, never an approval.

Four appliances, each started once for its group of cases:
- `fresh`: the demo policy (Safe mode, `max_targets = 3`) that has approved nothing: stateless proposal cases and
  hostile frames. At the end its whole audit log holds no approval and `appliance audit verify` passes.
- `after_approval`: keeper mode, one honest approval, then cases that need a previous approval (cooldown, minimum
  change, slippage of the previous targets, duplicate ids), then the kill switch.
- `rate`: cooldown 0 s, 2 rebalances and 7000 bps of turnover per 24 h, no `[kill_switch]` (so no exit is allowed).
The control tests show that the unmutated base proposal is approved, so each case is refused for its mutation alone.
"""
import copy
import datetime as dt
import json
import re
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_utils import to_checksum_address

from appliance_client import ApplianceClient, ProtocolFailure, encode_frame, read_frame
from appliance_harness import (PolicyFacts, _replace_line, demo_policy_text, keeper_policy, run_cli,
                               running_appliance)

POLICY = PolicyFacts.parse(demo_policy_text())
BY_NAME = {v["name"]: address for address, v in POLICY.adapters.items()}
USDC, USDT = BY_NAME["Aave V3 USDC"], BY_NAME["Aave V3 USDT"]          # lending, caps 5000
CURVE, UNISWAP = BY_NAME["Curve 3pool"], BY_NAME["Uniswap V3 USDC/USDT"]  # stable_lp, caps 3000 / 2000
HAVEN = POLICY.safe_haven
assert HAVEN == USDC
GWEI = 10**9


def now_text(offset_seconds: int = 0) -> str:
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def flip_case(address: str) -> str:
    """The same 20 bytes with the case of the first letter flipped: mixed case that fails EIP-55."""
    i = next(i for i, c in enumerate(address) if i >= 2 and c.isalpha())
    return address[:i] + address[i].swapcase() + address[i + 1:]


def near_miss(address: str) -> str:
    """Another address (last nibble changed), validly checksummed: not on the allowlist."""
    last = address[-1].lower()
    return to_checksum_address(address[:-1] + ("0" if last != "0" else "1"))


def base_proposal(targets=None, reserve=5500, kind="rebalance") -> dict:
    """Approved by the demo policy from the all-reserve start (turnover 4500 ≤ 5000)."""
    created = now_text()
    return {
        "id": "base", "created_at": created, "chain_id": 1, "kind": kind,
        "targets": targets if targets is not None else [{"adapter": USDC, "weight_bps": 2500},
                                                        {"adapter": USDT, "weight_bps": 2000}],
        "reserve_bps": reserve, "max_slippage_bps": 10,
        "gas": {"max_fee_per_gas": str(30 * GWEI), "max_priority_fee_per_gas": str(GWEI), "gas_limit": 450000},
        "expected": {"apy_gain_bps": 100, "gas_cost_bps": 2, "max_risk_score": 35},
        "evidence": {"model": "redteam", "data_through": created},
    }


def exit_proposal(targets=None, reserve=500) -> dict:
    return base_proposal(targets if targets is not None else [{"adapter": HAVEN, "weight_bps": 10000 - reserve}],
                         reserve, kind="emergency_exit")


def with_(**changes):
    """A mutation setting top-level keys (callables get the proposal)."""
    def mutate(p):
        for key, value in changes.items():
            p[key] = value(p) if callable(value) else value
    return mutate


def gas(**changes):
    return lambda p: p["gas"].update(changes)


def expected(**changes):
    return lambda p: p["expected"].update(changes)


def targets(*pairs, reserve=None):
    def mutate(p):
        p["targets"] = [{"adapter": a, "weight_bps": w} for a, w in pairs]
        if reserve is not None:
            p["reserve_bps"] = reserve
    return mutate


# MARK: - the appliance and the "no signature left" check

@dataclass
class Target:
    """One running appliance with its baseline: next nonce and kill switch that no hostile case may change."""
    app: object
    next_nonce: int
    kill_switch: dict

    def status(self) -> dict:
        with self.app.client() as client:
            return client.status()

    def audit_entries(self, after_seq: int) -> list:
        out = run_cli("audit", "export", "--state", self.app.state, "--from", after_seq + 1)
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    def bundle_files(self) -> list:
        folder = Path(self.app.state) / "bundles"
        return sorted(folder.iterdir()) if folder.exists() else []

    def assert_nothing_signed(self, before: dict, responses: list, audited: bool = True) -> list:
        """No `signed` in any response, nonce and kill switch unchanged, no bundle, and the case's audit entries
        are rejections or protocol errors only. Returns those entries."""
        for response in responses:
            assert "signed" not in response, response
            assert response.get("decision") != "approved", response
        after = self.status()
        assert after["next_nonce"] == self.next_nonce == before["next_nonce"], after
        assert after["kill_switch"] == self.kill_switch, after
        assert self.bundle_files() == [], self.bundle_files()
        entries = self.audit_entries(before["audit"]["seq"])
        for entry in entries:
            assert entry["kind"] in ("decision", "protocol_error"), entry
            if entry["kind"] == "decision":
                assert entry["body"]["decision"] == "rejected", entry
                assert "nonce" not in entry["body"] and "signing_hash" not in entry["body"], entry
        if audited:
            assert entries, "the case left no audit entry"
        return entries


    def baseline(self):
        """Takes the current nonce and kill switch as the state every later hostile case must leave unchanged."""
        status = self.status()
        self.next_nonce, self.kill_switch = status["next_nonce"], status["kill_switch"]


def expect_rejected(target: Target, proposal: dict, codes: set) -> dict:
    before = target.status()
    with target.app.client() as client:
        response = client.propose(proposal)
    assert response["type"] == "decision", response
    assert response["proposal_id"] == proposal["id"]
    assert response["decision"] == "rejected", response
    assert {r["code"] for r in response["reasons"]} == codes, response["reasons"]
    entries = target.assert_nothing_signed(before, [response])
    assert [e["body"]["proposal_id"] for e in entries if e["kind"] == "decision"] == [proposal["id"]]
    assert entries[-1]["seq"] == response["audit"]["seq"] and entries[-1]["hash"] == response["audit"]["hash"]
    return response


def expect_approved(target: Target, proposal: dict) -> dict:
    """A control: the honest proposal is approved (so the hostile cases are refused for their mutation alone)."""
    with target.app.client() as client:
        response = client.propose(proposal)
    assert (response.get("decision"), response.get("reasons")) == ("approved", []), response
    assert "signed" in response
    return response


# MARK: - hostile proposals against an appliance that has approved nothing

def fresh_policy() -> str:
    return _replace_line(demo_policy_text(), "max_targets", "3")


@pytest.fixture(scope="module")
def fresh():
    with running_appliance(fresh_policy()) as app:
        with app.client() as client:
            status = client.status()
        assert status["next_nonce"] == 0 and status["kill_switch"]["engaged"] is False
        yield Target(app, 0, status["kill_switch"])


PROPOSAL_CASES = [
    # (id, mutation, exact set of codes)
    ("wrong-chain-goerli", with_(chain_id=5), {"WRONG_CHAIN"}),
    ("wrong-chain-max-int64", with_(chain_id=2**63 - 1), {"WRONG_CHAIN"}),
    ("adapter-not-allowed-random", targets((to_checksum_address("0x" + "ab" * 20), 2500), (USDT, 2000)),
     {"ADAPTER_NOT_ALLOWED"}),
    ("adapter-is-the-hub", targets((POLICY.hub, 2500), (USDT, 2000)), {"ADAPTER_NOT_ALLOWED"}),
    ("adapter-is-the-safe", targets((POLICY.safe, 2500), (USDT, 2000)), {"ADAPTER_NOT_ALLOWED"}),
    ("adapter-near-miss-checksummed", targets((near_miss(USDC), 2500), (USDT, 2000)), {"ADAPTER_NOT_ALLOWED"}),
    ("adapter-zero-address", targets(("0x" + "00" * 20, 2500), (USDT, 2000)), {"ADAPTER_NOT_ALLOWED"}),
    ("adapter-not-allowed-at-zero-weight", targets((USDC, 2500), (USDT, 2000), ("0x" + "cd" * 20, 0)),
     {"ADAPTER_NOT_ALLOWED"}),
    ("duplicate-adapter", targets((USDC, 2000), (USDC, 2000), (USDT, 500)), {"DUPLICATE_ADAPTER"}),
    ("duplicate-adapter-lowercase-spelling", targets((USDC, 2000), (USDC.lower(), 2000), (USDT, 500)),
     {"DUPLICATE_ADAPTER"}),
    ("duplicate-adapter-uppercase-spelling", targets((USDC, 2000), ("0x" + USDC[2:].upper(), 2500)),
     {"DUPLICATE_ADAPTER"}),
    ("too-many-targets", targets((USDC, 1000), (USDT, 1000), (CURVE, 1000), (UNISWAP, 1000), reserve=6000),
     {"TOO_MANY_TARGETS"}),
    ("weight-above-adapter-cap", targets((UNISWAP, 2500), (USDT, 2000)), {"WEIGHT_ABOVE_MAX"}),
    ("weight-below-min", targets((USDC, 2500), (USDT, 1600), (CURVE, 400)), {"WEIGHT_BELOW_MIN"}),
    ("weight-sum-short", with_(reserve_bps=5499), {"WEIGHT_SUM_INVALID"}),
    ("weight-sum-over", targets((USDC, 2500), (USDT, 2001)), {"WEIGHT_SUM_INVALID"}),
    ("turnover-above-max", targets((USDC, 3000), (USDT, 2500), reserve=4500), {"TURNOVER_ABOVE_MAX"}),
    ("no-op-rebalance-all-reserve", targets(reserve=10000), {"CHANGE_BELOW_MIN"}),
    ("slippage-above-lending-cap", with_(max_slippage_bps=11), {"SLIPPAGE_ABOVE_MAX"}),
    # Curve (stable_lp, cap 50) beside Aave (lending, cap 10) at 50: the smallest cap of the classes involved.
    ("slippage-stable-cap-with-lending", lambda p: (targets((CURVE, 2500), (USDT, 2000))(p),
                                                    with_(max_slippage_bps=50)(p)), {"SLIPPAGE_ABOVE_MAX"}),
    ("max-fee-one-wei-above-cap", gas(max_fee_per_gas=str(150 * GWEI + 1)), {"MAX_FEE_ABOVE_CAP"}),
    ("max-fee-2-pow-256-minus-1", gas(max_fee_per_gas=str(2**256 - 1)), {"MAX_FEE_ABOVE_CAP"}),
    ("priority-fee-above-cap", gas(max_priority_fee_per_gas=str(3 * GWEI + 1)), {"PRIORITY_FEE_ABOVE_CAP"}),
    ("gas-limit-above-cap", gas(gas_limit=500001), {"GAS_LIMIT_ABOVE_CAP"}),
    ("edge-at-min", expected(apy_gain_bps=52, gas_cost_bps=2), {"EDGE_BELOW_MIN"}),
    ("edge-negative-gain", expected(apy_gain_bps=-100000), {"EDGE_BELOW_MIN"}),
    ("risk-score-above-max", expected(max_risk_score=70), {"RISK_SCORE_ABOVE_MAX"}),
    ("expired-by-a-minute", with_(created_at=lambda p: now_text(-660)), {"PROPOSAL_EXPIRED"}),
    ("expired-epoch", with_(created_at="1970-01-01T00:00:00Z"), {"PROPOSAL_EXPIRED"}),
    ("from-future-by-a-minute", with_(created_at=lambda p: now_text(60)), {"PROPOSAL_FROM_FUTURE"}),
    ("from-future-year-9999", with_(created_at="9999-12-31T23:59:59Z"), {"PROPOSAL_FROM_FUTURE"}),
    ("many-reasons-at-once", lambda p: (with_(chain_id=10, max_slippage_bps=100)(p),
                                        expected(max_risk_score=100)(p), gas(gas_limit=10**6)(p)),
     {"WRONG_CHAIN", "SLIPPAGE_ABOVE_MAX", "RISK_SCORE_ABOVE_MAX", "GAS_LIMIT_ABOVE_CAP"}),
]

EXIT_CASES = [
    ("exit-to-another-adapter", targets((USDT, 9500)), {"EXIT_NOT_TO_SAFE_HAVEN"}),
    ("exit-with-extra-target", targets((HAVEN, 9000), (USDT, 500)), {"EXIT_NOT_TO_SAFE_HAVEN"}),
    ("exit-with-extra-zero-target", targets((HAVEN, 9500), (CURVE, 0)), {"EXIT_NOT_TO_SAFE_HAVEN"}),
    ("exit-haven-split-in-two", targets((HAVEN, 4750), (HAVEN.lower(), 4750)),
     {"EXIT_NOT_TO_SAFE_HAVEN", "DUPLICATE_ADAPTER"}),
    ("exit-short-of-the-reserve", targets((HAVEN, 9000)), {"EXIT_NOT_TO_SAFE_HAVEN", "WEIGHT_SUM_INVALID"}),
    ("exit-no-targets", targets(reserve=10000), {"EXIT_NOT_TO_SAFE_HAVEN"}),
    ("exit-draining-the-reserve", targets((HAVEN, 9600), reserve=400), {"RESERVE_BELOW_MIN"}),
    ("exit-slippage-above-cap", with_(max_slippage_bps=11), {"SLIPPAGE_ABOVE_MAX"}),
    ("exit-max-fee-above-cap", gas(max_fee_per_gas=str(151 * GWEI)), {"MAX_FEE_ABOVE_CAP"}),
    ("exit-expired", with_(created_at=lambda p: now_text(-3600)), {"PROPOSAL_EXPIRED"}),
    ("exit-wrong-chain", with_(chain_id=137), {"WRONG_CHAIN"}),
]


def mutated(make, case_id: str, mutate) -> dict:
    proposal = make()
    proposal["id"] = f"rt-{case_id}"
    mutate(proposal)
    return proposal


# Exits are built from the valid exit, rebalances from the valid rebalance.
HOSTILE_PROPOSALS = [(base_proposal, *c) for c in PROPOSAL_CASES] + [(exit_proposal, *c) for c in EXIT_CASES]


@pytest.mark.parametrize("make, case_id, mutate, codes", HOSTILE_PROPOSALS, ids=[c[1] for c in HOSTILE_PROPOSALS])
def test_hostile_proposal_is_rejected_with_the_exact_codes(fresh, make, case_id, mutate, codes):
    expect_rejected(fresh, mutated(make, case_id, mutate), codes)


# MARK: - hostile frames

def framed(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def propose_body(proposal: dict) -> bytes:
    return json.dumps({"type": "propose", "proposal": proposal}, separators=(",", ":")).encode()


def valid_body(case_id: str) -> bytes:
    proposal = base_proposal()
    proposal["id"] = f"rt-frame-{case_id}"
    return propose_body(proposal)


def edited(old: bytes, new: bytes):
    """The valid proposal frame with its first `old` replaced by `new` (the text must occur)."""
    def build(case_id: str) -> bytes:
        body = valid_body(case_id)
        assert old in body, (old, body)
        return framed(body.replace(old, new, 1))
    return build


def proposal_with(mutate):
    def build(case_id: str) -> bytes:
        proposal = json.loads(valid_body(case_id))["proposal"]
        mutate(proposal)
        return framed(propose_body(proposal))
    return build


def raw(data: bytes):
    return lambda case_id: data


def padded_to_limit(body: bytes) -> bytes:
    """The body with its evidence `model` grown until the frame holds exactly 65536 bytes, the largest allowed."""
    marker = b'"model":"redteam"'
    grown = body.replace(marker, b'"model":"' + b"m" * (65536 - len(body) + 7) + b'"', 1)
    assert len(grown) == 65536
    return grown


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


GAS_FEE = f'"max_fee_per_gas":"{30 * GWEI}"'.encode()

# (id, wire bytes builder, pinned code or None for "no answer", whether the appliance closes the connection)
FRAME_CASES = [
    ("length-zero", raw(struct.pack(">I", 0)), "FRAME_SIZE", True),
    ("length-65537", raw(struct.pack(">I", 65537) + b"{" * 100), "FRAME_SIZE", True),
    ("length-4-gib", raw(b"\xff\xff\xff\xff"), "FRAME_SIZE", True),
    ("truncated-body-then-eof", lambda c: struct.pack(">I", 400) + valid_body(c)[:200], None, True),
    ("truncated-header-then-eof", raw(b"\x00\x00"), None, True),
    ("not-utf8", edited(b'"model":"redteam"', b'"model":"red\xffteam"'), "MALFORMED_JSON", False),
    ("overlong-utf8-slash", edited(b'"model":"redteam"', b'"model":"red\xc0\xafteam"'), "MALFORMED_JSON", False),
    ("utf8-encoded-surrogate", edited(b'"model":"redteam"', b'"model":"red\xed\xa0\x80team"'), "MALFORMED_JSON",
     False),
    ("byte-order-mark", lambda c: framed(b"\xef\xbb\xbf" + valid_body(c)), "MALFORMED_JSON", False),
    ("raw-nul-in-string", edited(b'"model":"redteam"', b'"model":"red\x00team"'), "MALFORMED_JSON", False),
    ("nesting-depth-9", lambda c: framed(b'{"type":"status","x":' + nested(8) + b"}"), "MALFORMED_JSON", False),
    ("nesting-depth-60000", lambda c: framed(nested(30000)), "MALFORMED_JSON", False),
    ("nesting-in-evidence", edited(b'"model":"redteam"', b'"model":' + nested(7)), "MALFORMED_JSON", False),
    ("top-level-array", raw(framed(b'[{"type":"status"}]')), "MALFORMED_JSON", False),
    ("two-objects-in-one-frame", raw(framed(b'{"type":"status"}{"type":"status"}')), "MALFORMED_JSON", False),
    ("nan-literal", edited(b'"chain_id":1', b'"chain_id":NaN'), "MALFORMED_JSON", False),
    ("lone-surrogate-escape", edited(b'"model":"redteam"', b'"model":"\\ud800"'), "MALFORMED_JSON", False),
    ("duplicate-type", raw(framed(b'{"type":"status","type":"engage_kill_switch","reason":"x"}')),
     "DUPLICATE_KEY", False),
    ("duplicate-chain-id", edited(b'"chain_id":1', b'"chain_id":1,"chain_id":5'), "DUPLICATE_KEY", False),
    ("duplicate-key-by-escape", edited(b'"chain_id":1', b'"chain_id":1,"chain\\u005fid":5'), "DUPLICATE_KEY",
     False),
    ("unknown-top-level-field", edited(b'{"type":"propose"', b'{"type":"propose","sign":true'), "UNKNOWN_FIELD",
     False),
    ("unknown-field-nonce", edited(b'"chain_id":1', b'"chain_id":1,"nonce":0'), "UNKNOWN_FIELD", False),
    ("unknown-field-gas-to", edited(GAS_FEE, GAS_FEE + b',"to":"0x' + b"00" * 20 + b'"'), "UNKNOWN_FIELD", False),
    ("unknown-field-in-target", edited(b'"weight_bps":2500', b'"weight_bps":2500,"calldata":"0x"'),
     "UNKNOWN_FIELD", False),
    ("unknown-field-in-status", raw(framed(b'{"type":"status","verbose":true}')), "UNKNOWN_FIELD", False),
    ("missing-type", raw(framed(b'{"proposal":{}}')), "MISSING_FIELD", False),
    ("missing-reserve", proposal_with(lambda p: p.pop("reserve_bps")), "MISSING_FIELD", False),
    ("missing-kill-switch-reason", raw(framed(b'{"type":"engage_kill_switch"}')), "MISSING_FIELD", False),
    ("unknown-type-sign", raw(framed(b'{"type":"sign","digest":"0x' + b"11" * 32 + b'"}')), "UNKNOWN_TYPE", False),
    ("unknown-type-export-key", raw(framed(b'{"type":"export_key"}')), "UNKNOWN_TYPE", False),
    ("type-not-a-string", raw(framed(b'{"type":1}')), "INVALID_FIELD", False),
    ("float-chain-id", edited(b'"chain_id":1', b'"chain_id":1.0'), "INVALID_FIELD", False),
    ("exponent-weight", edited(b'"weight_bps":2500', b'"weight_bps":2.5e3'), "INVALID_FIELD", False),
    ("string-integer-chain-id", edited(b'"chain_id":1', b'"chain_id":"1"'), "INVALID_FIELD", False),
    ("gas-limit-2-pow-64", edited(b'"gas_limit":450000', b'"gas_limit":18446744073709551616'), "INVALID_FIELD",
     False),
    ("gas-limit-400-digits", edited(b'"gas_limit":450000', b'"gas_limit":' + b"9" * 400), "INVALID_FIELD", False),
    ("negative-weight", edited(b'"weight_bps":2500', b'"weight_bps":-2500'), "INVALID_FIELD", False),
    ("weight-above-10000", edited(b'"weight_bps":2500', b'"weight_bps":10001'), "INVALID_FIELD", False),
    ("risk-score-above-100", edited(b'"max_risk_score":35', b'"max_risk_score":101'), "INVALID_FIELD", False),
    ("amount-plus-sign", edited(GAS_FEE, f'"max_fee_per_gas":"+{30 * GWEI}"'.encode()), "INVALID_FIELD", False),
    ("amount-minus-sign", edited(GAS_FEE, b'"max_fee_per_gas":"-1"'), "INVALID_FIELD", False),
    ("amount-spaces", edited(GAS_FEE, f'"max_fee_per_gas":" {30 * GWEI} "'.encode()), "INVALID_FIELD", False),
    ("amount-hex", edited(GAS_FEE, f'"max_fee_per_gas":"{hex(30 * GWEI)}"'.encode()), "INVALID_FIELD", False),
    ("amount-leading-zero", edited(GAS_FEE, f'"max_fee_per_gas":"0{30 * GWEI}"'.encode()), "INVALID_FIELD",
     False),
    ("amount-decimal-point", edited(GAS_FEE, f'"max_fee_per_gas":"{30 * GWEI}.0"'.encode()), "INVALID_FIELD",
     False),
    ("amount-json-number", edited(GAS_FEE, f'"max_fee_per_gas":{30 * GWEI}'.encode()), "INVALID_FIELD", False),
    ("amount-empty", edited(GAS_FEE, b'"max_fee_per_gas":""'), "INVALID_FIELD", False),
    ("amount-above-uint256", edited(GAS_FEE, f'"max_fee_per_gas":"{2**256}"'.encode()), "INVALID_FIELD", False),
    ("address-bad-checksum", proposal_with(lambda p: p["targets"][0].update(adapter=flip_case(USDC))),
     "INVALID_FIELD", False),
    ("address-39-digits", proposal_with(lambda p: p["targets"][0].update(adapter=USDC[:-1])), "INVALID_FIELD",
     False),
    ("address-no-0x", proposal_with(lambda p: p["targets"][0].update(adapter=USDC[2:])), "INVALID_FIELD", False),
    ("address-0X-prefix", proposal_with(lambda p: p["targets"][0].update(adapter="0X" + USDC[2:])),
     "INVALID_FIELD", False),
    ("address-non-hex", proposal_with(lambda p: p["targets"][0].update(adapter="0x" + "g" * 40)), "INVALID_FIELD",
     False),
    ("timestamp-offset", proposal_with(lambda p: p.update(created_at=p["created_at"][:-1] + "+00:00")),
     "INVALID_FIELD", False),
    ("timestamp-lowercase-z", proposal_with(lambda p: p.update(created_at=p["created_at"][:-1] + "z")),
     "INVALID_FIELD", False),
    ("timestamp-fraction", proposal_with(lambda p: p.update(created_at=p["created_at"][:-1] + ".5Z")),
     "INVALID_FIELD", False),
    ("timestamp-no-seconds", proposal_with(lambda p: p.update(created_at=p["created_at"][:16] + "Z")),
     "INVALID_FIELD", False),
    ("timestamp-february-30", proposal_with(lambda p: p.update(created_at="2026-02-30T00:00:00Z")),
     "INVALID_FIELD", False),
    ("timestamp-epoch-integer", edited(b'"created_at":"', b'"created_at":1700000000,"x":"'), "UNKNOWN_FIELD",
     False),
    ("id-with-nul-escape", proposal_with(lambda p: p.update(id="rt-nul\u0000id")), "INVALID_FIELD", False),
    ("id-with-slash", proposal_with(lambda p: p.update(id="../../etc/passwd")), "INVALID_FIELD", False),
    ("id-with-space", proposal_with(lambda p: p.update(id="rt id")), "INVALID_FIELD", False),
    ("id-non-ascii", proposal_with(lambda p: p.update(id="rt-\u0430")), "INVALID_FIELD", False),
    ("id-empty", proposal_with(lambda p: p.update(id="")), "INVALID_FIELD", False),
    ("id-65-characters", proposal_with(lambda p: p.update(id="r" * 65)), "INVALID_FIELD", False),
    ("kind-unknown", proposal_with(lambda p: p.update(kind="withdraw_all")), "INVALID_FIELD", False),
    ("targets-65-entries", proposal_with(lambda p: p.update(targets=[p["targets"][0]] * 65)), "INVALID_FIELD",
     False),
    ("targets-not-an-array", proposal_with(lambda p: p.update(targets={"adapter": USDC, "weight_bps": 2500})),
     "INVALID_FIELD", False),
    ("evidence-17-pairs", proposal_with(lambda p: p.update(evidence={f"k{i}": "v" for i in range(17)})),
     "INVALID_FIELD", False),
    ("evidence-value-257-characters", proposal_with(lambda p: p["evidence"].update(model="m" * 257)),
     "INVALID_FIELD", False),
    ("evidence-value-not-a-string", proposal_with(lambda p: p["evidence"].update(model=1)), "INVALID_FIELD",
     False),
    ("evidence-fills-the-frame-exactly", lambda c: framed(padded_to_limit(valid_body(c))), "INVALID_FIELD", False),
    ("kill-switch-reason-257-characters",
     raw(framed(json.dumps({"type": "engage_kill_switch", "reason": "r" * 257}).encode())), "INVALID_FIELD", False),
]


def exchange_raw(target: Target, data: bytes, half_close: bool):
    """Sends `data`, then reads what comes back: the frames until the appliance closes or falls silent."""
    frames = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(target.app.socket)
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        closed = False
        while True:
            try:
                frames.append(read_frame(sock))
            except ProtocolFailure as failure:
                assert "after 0 of 4 bytes" in str(failure), failure
                closed = True
                break
            except (ConnectionResetError, BrokenPipeError):
                closed = True
                break
            except socket.timeout:
                break
            if half_close or frames[-1].get("code") == "FRAME_SIZE":
                continue
            # The connection must still serve the next request: ask for the status on it.
            sock.sendall(encode_frame({"type": "status"}))
            frames.append(read_frame(sock))
            break
    return frames, closed


@pytest.mark.parametrize("case_id, build, code, closes", FRAME_CASES, ids=[c[0] for c in FRAME_CASES])
def test_hostile_frame_gets_the_exact_error_and_signs_nothing(fresh, case_id, build, code, closes):
    data = build(case_id)
    before = fresh.status()
    frames, closed = exchange_raw(fresh, data, half_close=code is None)
    if code is None:
        # A frame cut short by the peer's EOF: nothing to answer, the connection is closed.
        assert (frames, closed) == ([], True)
    else:
        assert frames[0]["type"] == "error", frames
        assert frames[0]["code"] == code, frames[0]
        assert set(frames[0]) == {"type", "code", "message"}, frames[0]
        if closes:
            assert (len(frames), closed) == (1, True), frames
        else:
            assert len(frames) == 2 and frames[1]["type"] == "status", frames
    entries = fresh.assert_nothing_signed(before, frames, audited=code is not None)
    if code is not None:
        assert [(e["kind"], e["body"]["code"]) for e in entries] == [("protocol_error", code)], entries


OUTSIDER_UID = 65534   # nobody
OUTSIDER_SCRIPT = """
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
body = sys.argv[2].encode()
try:
    s.sendall(struct.pack(">I", len(body)) + body)
except (BrokenPipeError, ConnectionResetError):
    pass   # refused and closed before the request went out: the refusal is still there to read
data = b""
while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
try:
    closed = s.recv(1) == b""
except ConnectionResetError:   # closed with our request unread: Linux resets instead of a clean EOF
    closed = True
sys.stdout.write(json.dumps({"frame": json.loads(data[4:]), "closed": closed}))
"""


@pytest.mark.parametrize("request_body", [{"type": "engage_kill_switch", "reason": "outsider"}, {"type": "status"}],
                         ids=["engage-kill-switch", "status"])
def test_peer_with_another_uid_is_refused_even_when_the_socket_is_world_writable(fresh, request_body):
    """SO_PEERCRED, not file modes, decides: with the socket and its directory opened to everyone, uid 65534
    still gets PEER_NOT_ALLOWED and the connection closes; the refusal is audited."""
    before = fresh.status()
    socket_dir = Path(fresh.app.socket).parent
    old_modes = socket_dir.stat().st_mode & 0o777, Path(fresh.app.socket).stat().st_mode & 0o777
    socket_dir.chmod(0o711)
    Path(fresh.app.socket).chmod(0o666)
    try:
        import subprocess
        out = subprocess.run(["/usr/bin/python3", "-c", OUTSIDER_SCRIPT, fresh.app.socket, json.dumps(request_body)],
                             capture_output=True, text=True, timeout=30, user=OUTSIDER_UID)
    finally:
        socket_dir.chmod(old_modes[0])
        Path(fresh.app.socket).chmod(old_modes[1])
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    response = result["frame"]
    assert (response["type"], response["code"], result["closed"]) == ("error", "PEER_NOT_ALLOWED", True), result
    after = fresh.status()
    assert (after["next_nonce"], after["kill_switch"]) == (fresh.next_nonce, fresh.kill_switch), after
    entries = fresh.audit_entries(before["audit"]["seq"])
    assert [(e["kind"], e["body"]["peer_uid"]) for e in entries] == [("peer_refused", OUTSIDER_UID)], entries


def test_appliance_with_no_approval_holds_no_approval_and_its_audit_chain_verifies(fresh):
    """Runs after the cases above (module order): the whole log, not only each case's slice."""
    entries = fresh.audit_entries(0)
    decisions = [e for e in entries if e["kind"] == "decision"]
    assert all(e["body"]["decision"] == "rejected" for e in decisions)
    assert not any("signing_hash" in e["body"] or "nonce" in e["body"] for e in entries)
    assert fresh.status()["next_nonce"] == 0
    verify = run_cli("audit", "verify", "--state", fresh.app.state, "--json")
    assert verify.returncode == 0, verify.stdout + verify.stderr


# MARK: - after one honest approval: cooldown, minimum change, previous targets, replayed ids

@pytest.fixture(scope="module")
def after_approval():
    with running_appliance(keeper_policy(demo_policy_text())) as app:
        target = Target(app, 0, {})
        honest = base_proposal()
        honest["id"] = "rt-honest-1"
        approved = expect_approved(target, honest)
        assert approved["signed"]["nonce"] == 0
        target.baseline()
        assert target.next_nonce == 1
        target.honest = honest
        yield target


def moved(p, pairs, reserve):
    targets(*pairs, reserve=reserve)(p)


STATEFUL_CASES = [
    ("cooldown-active", lambda p: moved(p, [(USDC, 3000), (USDT, 2500)], 4500), {"COOLDOWN_ACTIVE"}),
    ("change-below-min", lambda p: moved(p, [(USDC, 2700), (USDT, 1800)], 5500),
     {"COOLDOWN_ACTIVE", "CHANGE_BELOW_MIN"}),
    # Only stable pools now (cap 50), but the previous targets were lending (cap 10): the smaller cap applies.
    ("slippage-of-previous-targets", lambda p: (moved(p, [(CURVE, 3000), (UNISWAP, 2000)], 5000),
                                                with_(max_slippage_bps=50)(p)),
     {"COOLDOWN_ACTIVE", "SLIPPAGE_ABOVE_MAX"}),
    ("turnover-above-max-from-previous", lambda p: moved(p, [(CURVE, 3000), (UNISWAP, 2000), (USDT, 4500)], 500),
     {"COOLDOWN_ACTIVE", "TURNOVER_ABOVE_MAX", "TURNOVER_LIMIT_24H"}),
]


@pytest.mark.parametrize("case_id, mutate, codes", STATEFUL_CASES, ids=[c[0] for c in STATEFUL_CASES])
def test_hostile_rebalance_after_an_approval_is_rejected(after_approval, case_id, mutate, codes):
    expect_rejected(after_approval, mutated(base_proposal, case_id, mutate), codes)


def test_replayed_approved_proposal_is_a_duplicate_id(after_approval):
    replay = copy.deepcopy(after_approval.honest)
    expect_rejected(after_approval, replay, {"DUPLICATE_ID", "COOLDOWN_ACTIVE", "CHANGE_BELOW_MIN"})


def test_emergency_exit_reusing_the_approved_id_is_a_duplicate_id(after_approval):
    proposal = exit_proposal()
    proposal["id"] = after_approval.honest["id"]
    expect_rejected(after_approval, proposal, {"DUPLICATE_ID"})


def test_emergency_exit_reusing_a_rejected_id_is_a_duplicate_id(after_approval):
    rejected = exit_proposal()
    rejected["id"] = "rt-rejected-once"
    rejected["chain_id"] = 10
    expect_rejected(after_approval, rejected, {"WRONG_CHAIN"})
    retry = exit_proposal()          # otherwise valid: exits are exempt from the cooldown
    retry["id"] = "rt-rejected-once"
    expect_rejected(after_approval, retry, {"DUPLICATE_ID"})


# MARK: - the kill switch engaged

@pytest.fixture(scope="module")
def engaged():
    with running_appliance(keeper_policy(demo_policy_text())) as app:
        with app.client() as client:
            status = client.request({"type": "engage_kill_switch", "reason": "red team"})
        assert status["type"] == "status" and status["kill_switch"]["engaged"] is True, status
        target = Target(app, 0, {})
        target.baseline()
        yield target


def test_rebalance_while_the_kill_switch_is_engaged_is_rejected(engaged):
    proposal = base_proposal()       # approved from the same state with the switch released (control tests)
    proposal["id"] = "rt-rebalance-while-engaged"
    expect_rejected(engaged, proposal, {"KILL_SWITCH_ENGAGED"})


def test_emergency_exit_elsewhere_while_engaged_is_rejected(engaged):
    proposal = exit_proposal([{"adapter": CURVE, "weight_bps": 9500}])
    proposal["id"] = "rt-exit-elsewhere-while-engaged"
    expect_rejected(engaged, proposal, {"EXIT_NOT_TO_SAFE_HAVEN"})


def test_overlong_kill_switch_reason_leaves_the_engaged_state_unchanged(engaged):
    before = engaged.status()
    with engaged.app.client() as client:
        response = client.request({"type": "engage_kill_switch", "reason": "x" * 257})
    assert (response["type"], response["code"]) == ("error", "INVALID_FIELD"), response
    engaged.assert_nothing_signed(before, [response])
    assert engaged.status()["kill_switch"]["reason"] == "red team"


# MARK: - rolling 24 h limits, and a policy without a safe haven

def rate_policy() -> str:
    text = keeper_policy(demo_policy_text())
    for key, value in [("cooldown", '"0s"'), ("max_rebalances_per_24h", "2"), ("max_turnover_bps_per_24h", "7000")]:
        text = _replace_line(text, key, value)
    text, count = re.subn(r"^\[kill_switch\]\n(?:(?!\[).*\n)*", "", text, flags=re.MULTILINE)
    assert count == 1
    return text


@dataclass
class RateRun:
    target: Target
    turnover_limit: dict      # after approval 1 (turnover 5000): a move of 2500 → 7500 > 7000 in 24 h
    rebalance_limit: dict     # after approval 2 (count 2, turnover 5500): a move of 500 → a third in 24 h


@pytest.fixture(scope="module")
def rate():
    with running_appliance(rate_policy()) as app:
        target = Target(app, 0, {})
        first = base_proposal([{"adapter": USDC, "weight_bps": 2500}, {"adapter": USDT, "weight_bps": 2500}], 5000)
        first["id"] = "rt-rate-approved-1"
        expect_approved(target, first)
        target.baseline()
        over_budget = base_proposal([{"adapter": USDC, "weight_bps": 5000}, {"adapter": USDT, "weight_bps": 2500}],
                                    2500)
        over_budget["id"] = "rt-turnover-limit-24h"
        turnover_limit = expect_rejected(target, over_budget, {"TURNOVER_LIMIT_24H"})
        second = base_proposal([{"adapter": USDC, "weight_bps": 3000}, {"adapter": USDT, "weight_bps": 2500}], 4500)
        second["id"] = "rt-rate-approved-2"
        expect_approved(target, second)
        target.baseline()
        third = base_proposal([{"adapter": USDC, "weight_bps": 3500}, {"adapter": USDT, "weight_bps": 2500}], 4000)
        third["id"] = "rt-rebalance-limit-24h"
        rebalance_limit = expect_rejected(target, third, {"REBALANCE_LIMIT_24H"})
        assert target.status()["next_nonce"] == 2
        yield RateRun(target, turnover_limit, rebalance_limit)


def test_turnover_beyond_the_24h_budget_is_rejected(rate):
    assert [r["code"] for r in rate.turnover_limit["reasons"]] == ["TURNOVER_LIMIT_24H"]


def test_third_rebalance_in_24h_is_rejected(rate):
    assert [r["code"] for r in rate.rebalance_limit["reasons"]] == ["REBALANCE_LIMIT_24H"]


def test_emergency_exit_under_a_policy_without_a_safe_haven_is_not_allowed(rate):
    proposal = exit_proposal()
    proposal["id"] = "rt-exit-without-safe-haven"
    expect_rejected(rate.target, proposal, {"KIND_NOT_ALLOWED", "EXIT_NOT_TO_SAFE_HAVEN"})


# MARK: - controls

def test_control_base_proposal_and_exit_are_approved_from_the_fresh_state(appliance_server):
    """The unmutated base proposal and exit pass every rule of the same policies: each hostile case above is
    refused for its mutation alone."""
    for policy in (fresh_policy(), keeper_policy(demo_policy_text())):
        app = appliance_server(policy)
        target = Target(app, 0, {})
        honest = base_proposal()
        honest["id"] = "rt-control-rebalance"
        expect_approved(target, honest)
        exit_ = exit_proposal()
        exit_["id"] = "rt-control-exit"
        expect_approved(target, exit_)
