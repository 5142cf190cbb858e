"""Safe mode end to end: the real `appliance serve` approves a long run of proposals and answers each with a
co-signer bundle (rebalancer/bundle@1), which independent tools check.

For every bundle: safe-eth-py's SafeTx hash (Safe 1.4.1 domain, chain id, Safe address, `safe_tx` fields) equals
`safe_tx_hash`; `appliance.signature` recovers (eth-account) over that hash to `appliance.address`, the keeper
address `init` printed; `safe_tx.data` starts with the keccak selector of the hub function and decodes (eth-abi) to
exactly `decoded` and to the proposal, with deadline = `decided_at` + `proposal.max_age`. After
`appliance killswitch engage --socket`, an emergency exit decodes as `emergencyExit(address,uint16,uint256)` to the
safe haven. `appliance bundle verify` accepts every bundle the appliance wrote, and rejects a bundle with any single
leaf changed to another well-formed value of its type, any single key removed, or any single array element removed.
"""
import copy
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

import eth_abi
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak, to_checksum_address
from safe_eth.safe.safe_tx import SafeTx

from appliance_harness import (AllocationWalk, Exchange, demo_policy_text, emergency_exit, proposal, run_cli,
                               running_appliance, send_timed, stress_policy)
from conftest import SEED, hx

APPROVALS = 150
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
REBALANCE_TYPES = ["(address,uint16)[]", "uint16", "uint16", "uint256"]
REBALANCE_SELECTOR = keccak(text="rebalance((address,uint16)[],uint16,uint16,uint256)")[:4]
EXIT_TYPES = ["address", "uint16", "uint256"]
EXIT_SELECTOR = keccak(text="emergencyExit(address,uint16,uint256)")[:4]
ZERO_ADDRESS = "0x" + "00" * 20


@dataclass(repr=False)   # a short repr keeps failure reports readable
class SafeRun:
    keeper: str
    policy_sha256: str
    policy: object
    exchanges: list          # the APPROVALS rebalances, in order
    status: dict             # after them
    engaged: object          # `appliance killswitch engage` result
    exit: Exchange           # an emergency exit while the kill switch is engaged
    final_status: dict
    files: dict              # file name -> bytes of every file in STATE/bundles after the appliance stopped
    scratch: Path            # a directory for the verifier's inputs


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    rng = random.Random(SEED + 1)
    with running_appliance(stress_policy(demo_policy_text())) as app:
        policy = app.policy
        assert policy.mode == "safe" and policy.safe is not None
        walk = AllocationWalk(policy, rng)
        exchanges = []
        with app.client() as client:
            for i in range(APPROVALS):
                targets, reserve = walk.next()
                exchanges.append(send_timed(client, proposal(rng, f"safe-{i:04d}", targets, reserve)))
            status = client.status()
        engaged = run_cli("killswitch", "engage", "--socket", app.socket, "--reason", "e2e: safe exit", "--json")
        with app.client() as client:
            exit_ = send_timed(client, emergency_exit(rng, "safe-exit", policy.safe_haven, reserve_bps=700))
            final_status = client.status()
        assert app.stop() == 0, app.log()
        bundles = app.state / "bundles"
        files = {p.name: p.read_bytes() for p in bundles.iterdir()} if bundles.is_dir() else {}
    return SafeRun(app.keeper, app.init["policy_sha256"], policy, exchanges, status, engaged, exit_, final_status,
                   files, tmp_path_factory.mktemp("bundles"))


def bundle_of(exchange: Exchange) -> dict:
    r = exchange.response
    assert (r["type"], r["decision"], r["reasons"]) == ("decision", "approved", []), r
    assert r["signed"]["mode"] == "safe", r["signed"]
    return r["signed"]["bundle"]


def all_exchanges(run):
    return run.exchanges + [run.exit]


def timestamp_seconds(text: str) -> int:
    return int(dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp())


def reference_safe_tx_hash(bundle: dict) -> str:
    tx = bundle["safe_tx"]
    safe_tx = SafeTx(None, bundle["safe"], tx["to"], int(tx["value"]), bytes.fromhex(tx["data"][2:]), tx["operation"],
                     int(tx["safe_tx_gas"]), int(tx["base_gas"]), int(tx["gas_price"]), tx["gas_token"],
                     tx["refund_receiver"], safe_nonce=int(tx["nonce"]), safe_version="1.4.1",
                     chain_id=bundle["chain_id"])
    return hx(safe_tx.safe_tx_hash)


# MARK: - the bundles the appliance sent

def test_every_proposal_is_approved_with_a_safe_bundle(run):
    assert len(run.exchanges) >= 100
    for ex in all_exchanges(run):
        bundle = bundle_of(ex)
        assert bundle["format"] == "rebalancer/bundle@1"
        assert bundle["chain_id"] == 1
        assert bundle["safe"] == run.policy.safe
        assert bundle["audit"] == ex.response["audit"]
        decision = bundle["decision"]
        assert decision["proposal_id"] == ex.proposal["id"]
        assert decision["policy_sha256"] == run.policy_sha256
        assert decision["rules"] and all(rule["passed"] is True for rule in decision["rules"]), decision["rules"]
        tx = bundle["safe_tx"]
        assert tx["to"] == run.policy.hub
        assert (tx["value"], tx["operation"], tx["safe_tx_gas"], tx["base_gas"], tx["gas_price"]) == \
            ("0", 0, "0", "0", "0")
        assert tx["gas_token"] == tx["refund_receiver"] == ZERO_ADDRESS
    assert run.status["mode"] == "safe"
    assert run.status["signer_address"] == run.keeper


def test_safe_nonces_are_consecutive_from_zero(run):
    nonces = [bundle_of(ex)["safe_tx"]["nonce"] for ex in all_exchanges(run)]
    assert nonces == [str(n) for n in range(len(run.exchanges) + 1)]
    assert run.status["next_nonce"] == len(run.exchanges)
    assert run.final_status["next_nonce"] == len(run.exchanges) + 1


def test_bundle_files_are_the_bundles_sent(run):
    expected = {}
    for ex in all_exchanges(run):
        bundle = bundle_of(ex)
        expected[f"{bundle['audit']['seq']}-{ex.proposal['id']}.json"] = bundle
    assert set(run.files) == set(expected)
    for name, bundle in expected.items():
        assert json.loads(run.files[name]) == bundle, name


def test_safe_tx_hashes_equal_safe_eth_py(run):
    for ex in all_exchanges(run):
        bundle = bundle_of(ex)
        assert bundle["safe_tx_hash"] == reference_safe_tx_hash(bundle), ex.proposal["id"]


def test_appliance_signatures_recover_to_the_keeper_over_the_safe_tx_hash(run):
    for ex in all_exchanges(run):
        bundle = bundle_of(ex)
        assert bundle["appliance"]["address"] == run.keeper
        signature = bytes.fromhex(bundle["appliance"]["signature"][2:])
        assert len(signature) == 65 and signature[64] in (27, 28), bundle["appliance"]["signature"]
        assert int.from_bytes(signature[32:64], "big") <= SECP256K1_N // 2, "high s"
        digest = bytes.fromhex(bundle["safe_tx_hash"][2:])
        assert Account._recover_hash(digest, signature=signature) == run.keeper, ex.proposal["id"]


def test_bundle_signatures_cover_the_bundle_without_its_signatures(run):
    """`appliance.bundle_signature`: EIP-191 over keccak256 of the compact JSON without the two signatures."""
    for ex in all_exchanges(run):
        bundle = copy.deepcopy(bundle_of(ex))
        signature = bundle["appliance"].pop("bundle_signature")
        del bundle["appliance"]["signature"]
        compact = json.dumps(bundle, separators=(",", ":"), ensure_ascii=False).encode()
        assert Account.recover_message(encode_defunct(primitive=keccak(compact)), signature=signature) == run.keeper


def test_rebalance_data_decodes_to_exactly_decoded_and_the_proposal(run):
    names = {a: v["name"] for a, v in run.policy.adapters.items()}
    previous = []
    for ex in run.exchanges:
        bundle = bundle_of(ex)
        data = bytes.fromhex(bundle["safe_tx"]["data"][2:])
        assert data[:4] == REBALANCE_SELECTOR, ex.proposal["id"]
        targets, reserve, slippage, deadline = eth_abi.decode(REBALANCE_TYPES, data[4:])
        assert eth_abi.encode(REBALANCE_TYPES, [targets, reserve, slippage, deadline]) == data[4:]
        decoded = bundle["decoded"]
        assert list(decoded) == ["function", "targets", "previous_targets", "reserve_bps", "max_slippage_bps",
                                 "deadline"], list(decoded)
        assert decoded["function"] == "rebalance"
        # `decoded` lists exactly what the calldata carries, in order, with each adapter's policy name.
        assert [(to_checksum_address(a), w) for a, w in targets] == \
            [(t["adapter"], t["weight_bps"]) for t in decoded["targets"]], ex.proposal["id"]
        assert [t["name"] for t in decoded["targets"]] == [names[t["adapter"]] for t in decoded["targets"]]
        assert (decoded["reserve_bps"], decoded["max_slippage_bps"], decoded["deadline"]) == \
            (reserve, slippage, deadline)
        # ... and that is exactly the proposal.
        assert [(t["adapter"], t["weight_bps"]) for t in decoded["targets"]] == \
            [(t["adapter"], t["weight_bps"]) for t in ex.proposal["targets"]]
        assert (reserve, slippage) == (ex.proposal["reserve_bps"], ex.proposal["max_slippage_bps"])
        # previous_targets: the last approved targets (none before the first approval).
        assert [(t["adapter"], t["weight_bps"], t["name"]) for t in decoded["previous_targets"]] == \
            [(t["adapter"], t["weight_bps"], names[t["adapter"]]) for t in previous], ex.proposal["id"]
        previous = ex.proposal["targets"]
        decided = timestamp_seconds(bundle["decision"]["decided_at"])
        assert ex.sent_at <= decided <= ex.received_at, (ex.proposal["id"], bundle["decision"]["decided_at"])
        assert deadline == decided + run.policy.max_age_seconds == decided + 600


def test_emergency_exit_after_kill_switch_decodes_to_the_safe_haven(run):
    assert run.engaged.returncode == 0, run.engaged.stderr
    assert json.loads(run.engaged.stdout)["engaged"] is True
    assert run.final_status["kill_switch"]["engaged"] is True
    bundle = bundle_of(run.exit)
    data = bytes.fromhex(bundle["safe_tx"]["data"][2:])
    assert data[:4] == EXIT_SELECTOR
    haven, slippage, deadline = eth_abi.decode(EXIT_TYPES, data[4:])
    assert eth_abi.encode(EXIT_TYPES, [haven, slippage, deadline]) == data[4:]
    assert to_checksum_address(haven) == run.policy.safe_haven
    decoded = bundle["decoded"]
    assert decoded["function"] == "emergencyExit"
    assert decoded["safe_haven"] == run.policy.safe_haven
    assert (decoded["max_slippage_bps"], decoded["deadline"]) == (slippage, deadline)
    assert slippage == run.exit.proposal["max_slippage_bps"]
    assert decoded["reserve_bps"] == run.exit.proposal["reserve_bps"] == 700
    assert [(t["adapter"], t["weight_bps"]) for t in decoded["targets"]] == [(run.policy.safe_haven, 9300)]
    assert [(t["adapter"], t["weight_bps"]) for t in decoded["previous_targets"]] == \
        [(t["adapter"], t["weight_bps"]) for t in run.exchanges[-1].proposal["targets"]]
    decided = timestamp_seconds(bundle["decision"]["decided_at"])
    assert run.exit.sent_at <= decided <= run.exit.received_at
    assert deadline == decided + 600


# MARK: - `appliance bundle verify`

def verify(path: Path):
    """Runs `appliance bundle verify --json`: (exit code, parsed stdout or None)."""
    proc = run_cli("bundle", "verify", path, "--json")
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        out = None
    return proc.returncode, out, proc.stderr


def test_bundle_verify_accepts_every_bundle_the_appliance_wrote(run):
    assert len(run.files) == len(run.exchanges) + 1
    for name, raw in sorted(run.files.items()):
        path = run.scratch / name
        path.write_bytes(raw)
        code, out, err = verify(path)
        bundle = json.loads(raw)
        assert code == 0, (name, out, err)
        assert out["valid"] is True
        assert (out["appliance"], out["safe"], out["chain_id"], out["safe_tx_hash"], out["function"]) == \
            (run.keeper, run.policy.safe, 1, bundle["safe_tx_hash"], bundle["decoded"]["function"])


def flip_hex_digit(digit: str) -> str:
    flipped = format(int(digit, 16) ^ 1, "x")
    return flipped.upper() if digit.isupper() else flipped


def next_char(c: str) -> str:
    if c.isdigit():
        return str((int(c) + 1) % 10)
    if c.isalpha() and c.isascii():
        base = "a" if c.islower() else "A"
        return chr((ord(c) - ord(base) + 1) % 26 + ord(base))
    return "x"


def changed_strings(path: str, s: str):
    """Other well-formed values of the same kind as `s`, each differing from it."""
    is_hex = lambda t: t != "" and all(ch in "0123456789abcdefABCDEF" for ch in t)
    if s.startswith("0x") and is_hex(s[2:]):
        digits = s[2:]
        for i in sorted({0, len(digits) // 2, len(digits) - 1}):
            changed = "0x" + digits[:i] + flip_hex_digit(digits[i]) + digits[i + 1:]
            # An address stays a valid EIP-55 address: only the 20-byte value changes.
            yield to_checksum_address(changed) if len(digits) == 40 else changed
    elif s.isdigit():
        yield s[:-1] + next_char(s[-1])
    elif len(s) == 64 and is_hex(s):
        yield flip_hex_digit(s[0]) + s[1:]
        yield s[:-1] + flip_hex_digit(s[-1])
    elif len(s) == 20 and s.endswith("Z") and s[4] == "-" and s[10] == "T":
        yield s[:-2] + next_char(s[-2]) + "Z"                                # the seconds
        yield s[:3] + next_char(s[3]) + s[4:]                                # the year
    else:
        yield s[:-1] + next_char(s[-1])
        if path.endswith(".function"):
            yield {"rebalance": "emergencyExit", "emergencyExit": "rebalance"}[s]


def leaves(value, path=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, f"{path}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from leaves(child, f"{path}[{i}]")
    else:
        yield path, value


def replaced(bundle, path_items, new_value):
    copy_ = copy.deepcopy(bundle)
    node = copy_
    for item in path_items[:-1]:
        node = node[item]
    node[path_items[-1]] = new_value
    return copy_


def path_items(path: str):
    items = []
    for part in path.lstrip(".").split("."):
        name, *indexes = part.split("[")
        items.append(name)
        items += [int(i.rstrip("]")) for i in indexes]
    return items


def single_field_changes(bundle):
    for path, value in leaves(bundle):
        if isinstance(value, bool):
            alternatives = [not value]
        elif isinstance(value, int):
            alternatives = [value + 1]
        elif isinstance(value, str):
            alternatives = list(changed_strings(path, value))
        else:
            raise AssertionError(f"unexpected leaf {path}: {value!r}")
        for new in alternatives:
            assert new != value and type(new) is type(value), (path, value, new)
            yield f"{path} = {json.dumps(new)}", replaced(bundle, path_items(path), new)


def single_removals(value, path=""):
    """(description, removal function on a copy) for every key of every object and every element of every array."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield f"{path}.{key}", path_items(f"{path}.{key}")
            yield from single_removals(child, f"{path}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield f"{path}[{i}]", path_items(f"{path}[{i}]")
            yield from single_removals(child, f"{path}[{i}]")


def removed(bundle, items):
    copy_ = copy.deepcopy(bundle)
    node = copy_
    for item in items[:-1]:
        node = node[item]
    del node[items[-1]]
    return copy_


def chosen_bundles(run):
    """The first bundle (no previous targets), a later one (previous targets), and the emergency exit."""
    return {"first": bundle_of(run.exchanges[0]), "later": bundle_of(run.exchanges[len(run.exchanges) // 2]),
            "emergency_exit": bundle_of(run.exit)}


def write(run, name, bundle) -> Path:
    path = run.scratch / name
    path.write_text(json.dumps(bundle, ensure_ascii=False))
    return path


def assert_all_rejected(run, label, variants):
    """Every variant must be refused: non-zero exit and `{"valid": false, ...}` on stdout (not a crash)."""
    accepted, crashed, count = [], [], 0
    for i, (what, bundle) in enumerate(variants):
        code, out, err = verify(write(run, f"{label}-{i}.json", bundle))
        count += 1
        if code == 0:
            accepted.append(what)
        elif code < 0 or not (isinstance(out, dict) and out.get("valid") is False and out.get("error")):
            crashed.append((what, code, out, err[-300:]))
    assert not accepted, f"bundle verify accepted {len(accepted)} of {count} changed bundles: {accepted}"
    assert not crashed, f"bundle verify did not reject cleanly: {crashed}"
    return count


@pytest.mark.parametrize("which", ["first", "later", "emergency_exit"])
def test_bundle_verify_rejects_every_single_field_change(run, which):
    bundle = chosen_bundles(run)[which]
    # Control: the same writer's copy of the untouched bundle verifies, so each rejection is the change's doing.
    code, out, err = verify(write(run, f"{which}-control.json", bundle))
    assert code == 0 and out["valid"] is True, (out, err)
    count = assert_all_rejected(run, f"{which}-changed", single_field_changes(bundle))
    assert count >= 60, count


def other_signature_encodings(signature_hex: str):
    """The same ECDSA signature written differently: each is a changed field (and not what the appliance signed)."""
    sig = bytes.fromhex(signature_hex[2:])
    r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
    yield "v as a recovery id (0/1)", "0x" + (r + sig[32:64] + bytes([v - 27])).hex()
    yield "v flipped (27 <-> 28)", "0x" + (r + sig[32:64] + bytes([55 - v])).hex()
    yield "high-s twin (s -> n - s, v flipped)", "0x" + (r + (SECP256K1_N - s).to_bytes(32, "big") +
                                                           bytes([55 - v])).hex()


@pytest.mark.parametrize("which", ["first", "later", "emergency_exit"])
def test_bundle_verify_rejects_other_encodings_of_the_appliance_signatures(run, which):
    """DESIGN.md pins `appliance.signature` as r‖s‖v with v ∈ {27, 28}, usable in execTransaction: a Safe reads
    v = 0 as a contract signature and v = 1 as an approved hash, so such a bundle must not verify."""
    bundle = chosen_bundles(run)[which]
    variants = [(f"appliance.{key}: {what}", replaced(bundle, ["appliance", key], value))
                for key in ["signature", "bundle_signature"]
                for what, value in other_signature_encodings(bundle["appliance"][key])]
    assert assert_all_rejected(run, f"{which}-encoding", variants) == 6


@pytest.mark.parametrize("which", ["first", "later", "emergency_exit"])
def test_bundle_verify_rejects_every_single_removed_key_or_element(run, which):
    bundle = chosen_bundles(run)[which]
    variants = ((f"remove {what}", removed(bundle, items)) for what, items in single_removals(bundle))
    count = assert_all_rejected(run, f"{which}-removed", variants)
    assert count >= 60, count
