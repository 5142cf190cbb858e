"""Flood smoke test: a few seconds of `flood.py` (garbage, slow-loris, maximum-size frames, connect/close storms)
against the real appliance beside one honest planner. Correctness only, never speed (the figures come from
`flood.py --json` on a release build): the appliance stays up, the honest planner's requests are answered and its
proposals approved, the kill switch engages, the hostile peers get protocol errors and never a decision, and the
audit chain still verifies with every approval accounted for.
"""
import pytest

from appliance_harness import appliance_path
from flood import run_flood

PROTOCOL_CODES = {"FRAME_SIZE", "MALFORMED_JSON", "DUPLICATE_KEY", "UNKNOWN_FIELD", "MISSING_FIELD", "INVALID_FIELD",
                  "UNKNOWN_TYPE", "PEER_NOT_ALLOWED", "BUSY", "INTERNAL"}


@pytest.fixture(scope="module")
def flood():
    return run_flood(str(appliance_path()), seconds=4, hostile=50)


def test_appliance_survives_the_flood_and_its_audit_chain_verifies(flood):
    assert flood["appliance_alive"] is True
    assert flood["audit_verified"] is True


def test_hostile_peers_get_protocol_errors_and_no_decision(flood):
    for kind, stats in flood["hostile"].items():
        assert stats["connections"] > 0, (kind, stats)
        assert set(stats["responses"]) <= PROTOCOL_CODES, (kind, stats["responses"])
    assert flood["hostile"]["garbage"]["responses"].get("MALFORMED_JSON", 0) > 0
    assert flood["hostile"]["maxsize"]["responses"].get("INVALID_FIELD", 0) > 0


def test_honest_planner_is_answered_and_every_approval_is_its_own(flood):
    honest = flood["honest"]
    outcomes = honest["outcomes"]
    assert not [k for k in outcomes if k.startswith("failed")], outcomes
    assert outcomes.get("approved", 0) >= 1 and outcomes.get("status", 0) >= 1, outcomes
    assert outcomes.get("rejected", 0) == 0, outcomes
    # Every nonce the appliance consumed went to an honest proposal that was answered "approved".
    assert flood["approvals"] == outcomes["approved"]


def test_kill_switch_engages_during_the_flood(flood):
    assert flood["kill_switch"]["engaged"] is True, flood["kill_switch"]
    assert flood["kill_switch_engaged_after"] is True
