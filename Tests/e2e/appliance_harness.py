"""Runs the real `appliance` binary for the end-to-end checks: policy variants, `init`, `serve` on a temporary socket
(stopped with SIGTERM, which must exit 0), and valid proposals that walk through allocations within the policy.

The binary comes from $APPLIANCE_BIN (default: .build/debug/appliance under the repository root).
"""
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from appliance_client import ApplianceClient, wait_until_accepting

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_POLICY = REPO_ROOT / "policy" / "demo.toml"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0


def appliance_path() -> Path:
    path = Path(os.environ.get("APPLIANCE_BIN", REPO_ROOT / ".build" / "debug" / "appliance"))
    path = path if path.is_absolute() else REPO_ROOT / path
    if not path.exists():
        pytest.fail(f"appliance binary not found at {path}; build it with `swift build --product appliance` "
                    "or set APPLIANCE_BIN")
    return path


def run_cli(*args, timeout=60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(appliance_path()), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


# MARK: - policy variants

def _replace_line(text: str, key: str, value: str) -> str:
    new, count = re.subn(rf"^{re.escape(key)}\s*=.*$", f"{key} = {value}", text, flags=re.MULTILINE)
    assert count == 1, f"policy has {count} lines for {key}"
    return new


def keeper_policy(text: str) -> str:
    """The policy in keeper mode: `mode = "keeper"` and no `[safe]` table."""
    text = _replace_line(text, "mode", '"keeper"')
    new, count = re.subn(r"^\[safe\]\n(?:(?!\[).*\n)*", "", text, flags=re.MULTILINE)
    assert count == 1, "policy has no [safe] table"
    return new


def stress_policy(text: str) -> str:
    """Rate limits opened up so that hundreds of rebalances in a row are approved."""
    for key, value in [("cooldown", '"0s"'), ("max_rebalances_per_24h", "1440"),
                       ("max_turnover_bps_per_24h", "1000000"), ("min_change_bps", "0")]:
        text = _replace_line(text, key, value)
    return text


def demo_policy_text() -> str:
    return DEMO_POLICY.read_text()


@dataclass
class PolicyFacts:
    """What the tests need to know about a policy, read with Python's own TOML parser."""
    chain_id: int
    mode: str
    hub: str
    adapters: dict           # checksummed address -> {name, class, max_weight_bps}
    safe_haven: str
    safe: str | None
    max_age_seconds: int
    min_weight_bps: int
    min_reserve_bps: int
    max_turnover_bps: int

    @staticmethod
    def parse(text: str) -> "PolicyFacts":
        from eth_utils import to_checksum_address
        doc = tomllib.loads(text)
        age = doc["proposal"]["max_age"]
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        assert re.fullmatch(r"\d+[smhd]", age), age
        return PolicyFacts(
            chain_id=doc["policy"]["chain_id"], mode=doc["policy"]["mode"],
            hub=to_checksum_address(doc["policy"]["hub"]),
            adapters={to_checksum_address(a): v for a, v in doc["adapters"].items()},
            safe_haven=to_checksum_address(doc["kill_switch"]["safe_haven"]),
            safe=to_checksum_address(doc["safe"]["address"]) if "safe" in doc else None,
            max_age_seconds=int(age[:-1]) * units[age[-1]],
            min_weight_bps=doc["allocation"]["min_weight_bps"], min_reserve_bps=doc["allocation"]["min_reserve_bps"],
            max_turnover_bps=doc["rate"]["max_turnover_bps"])


# MARK: - the running appliance

@dataclass
class Appliance:
    """An initialised state directory with `appliance serve` running on `socket`."""
    workdir: Path
    state: Path
    socket: str
    policy_text: str
    init: dict
    process: subprocess.Popen
    log_path: Path
    exit_code: int | None = None

    @property
    def keeper(self) -> str:
        return self.init["keeper_address"]

    @property
    def policy(self) -> PolicyFacts:
        return PolicyFacts.parse(self.policy_text)

    def client(self) -> ApplianceClient:
        return ApplianceClient(self.socket)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> int:
        """SIGTERM, then wait for the exit; returns (and records) the exit code."""
        if self.exit_code is None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.exit_code = self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"appliance serve did not exit within {STOP_TIMEOUT} s of SIGTERM:\n{self.log()}")
        return self.exit_code


@contextlib.contextmanager
def running_appliance(policy_text: str, serve_args=()):
    """Creates a temporary state directory, runs `init` with `policy_text`, starts `serve` (with any extra
    `serve_args`) on a temporary socket and waits until it accepts. On exit, stops it with SIGTERM and requires exit
    code 0."""
    # A short directory under /tmp: a Unix socket path must fit in 108 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="rb-e2e-", dir="/tmp"))
    appliance = None
    try:
        policy_file = workdir / "policy.toml"
        policy_file.write_text(policy_text)
        state = workdir / "state"
        init = run_cli("init", "--state", state, "--policy", policy_file, "--json")
        assert init.returncode == 0, f"appliance init failed:\n{init.stderr}"
        facts = json.loads(init.stdout)
        assert facts["policy_installed"] is True, facts
        socket_path = str(workdir / "appliance.sock")
        log_path = workdir / "serve.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([str(appliance_path()), "serve", "--state", str(state),
                                        "--socket", socket_path, *map(str, serve_args)],
                                       stdout=log, stderr=subprocess.STDOUT)
        appliance = Appliance(workdir, state, socket_path, policy_text, facts, process, log_path)
        try:
            wait_until_accepting(socket_path, START_TIMEOUT, alive=lambda: process.poll() is None)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{appliance.log()}") from None
        yield appliance
        code = appliance.stop()
        assert code == 0, f"appliance serve exited {code} after SIGTERM:\n{appliance.log()}"
    finally:
        if appliance is not None and appliance.process.poll() is None:
            appliance.process.kill()
            appliance.process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


# MARK: - proposals

def utc_now_text(at: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(time.time() if at is None else at, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def turnover_bps(previous: dict, new: dict) -> int:
    """½ Σ |new − old| over every adapter and the reserve (keys: adapter addresses and "reserve")."""
    keys = set(previous) | set(new)
    total = sum(abs(new.get(k, 0) - previous.get(k, 0)) for k in keys)
    assert total % 2 == 0
    return total // 2


@dataclass
class AllocationWalk:
    """Random allocations that each satisfy the policy's weight caps, minimum weight and reserve, and move at most
    the per-proposal turnover from the last one (starting from everything in reserve)."""
    policy: PolicyFacts
    rng: object
    current: dict = field(default_factory=lambda: {"reserve": 10000})

    def next(self):
        adapters = sorted(self.policy.adapters)
        for _ in range(100_000):
            chosen = self.rng.sample(adapters, self.rng.randint(1, len(adapters)))
            weights = [self.rng.randrange(self.policy.min_weight_bps,
                                          self.policy.adapters[a]["max_weight_bps"] + 1, 50) for a in chosen]
            reserve = 10000 - sum(weights)
            if reserve < self.policy.min_reserve_bps:
                continue
            new = dict(zip(chosen, weights), reserve=reserve)
            if turnover_bps(self.current, new) > self.policy.max_turnover_bps:
                continue
            self.current = new
            return [{"adapter": a, "weight_bps": w} for a, w in zip(chosen, weights)], reserve
        raise AssertionError("no allocation found")


def random_gas(rng) -> dict:
    gwei = 10**9
    max_fee = rng.choice([150 * gwei, gwei, rng.randrange(1, 150 * gwei + 1)])
    priority = min(max_fee, rng.choice([3 * gwei, 0, rng.randrange(0, 3 * gwei + 1)]))
    return {"max_fee_per_gas": str(max_fee), "max_priority_fee_per_gas": str(priority),
            "gas_limit": rng.choice([500_000, 21_000, rng.randrange(21_000, 500_001)])}


def proposal(rng, proposal_id: str, targets, reserve_bps: int, kind: str = "rebalance") -> dict:
    """A fresh proposal that passes every non-allocation rule of the demo policy (slippage <= 10 for lending)."""
    created = utc_now_text()
    gas_cost = rng.randrange(0, 30)
    return {
        "id": proposal_id, "created_at": created, "chain_id": 1, "kind": kind,
        "targets": targets, "reserve_bps": reserve_bps, "max_slippage_bps": rng.randrange(0, 11),
        "gas": random_gas(rng),
        "expected": {"apy_gain_bps": gas_cost + 51 + rng.randrange(0, 200), "gas_cost_bps": gas_cost,
                     "max_risk_score": rng.randrange(0, 70)},
        "evidence": {"model": "e2e-cross-check", "data_through": created},
    }


def emergency_exit(rng, proposal_id: str, safe_haven: str, reserve_bps: int = 500) -> dict:
    return proposal(rng, proposal_id, [{"adapter": safe_haven, "weight_bps": 10000 - reserve_bps}], reserve_bps,
                    kind="emergency_exit")


@dataclass
class Exchange:
    """One proposal, the appliance's answer, and the whole wall-clock seconds before and after the request: the
    appliance's decision time (whole seconds) lies in sent_at...received_at."""
    proposal: dict
    response: dict
    sent_at: int
    received_at: int


# The appliance reads the wall clock with time(2), which glibc serves from the kernel's coarse clock: it lags
# time.time() by up to one tick (~4 ms), so near a second boundary its whole second can be one less than
# int(time.time()) read just before. The lower bound is therefore read from CLOCK_REALTIME_COARSE (Linux: 5), which
# is never ahead of time(2); the upper bound from the precise clock, which is never behind it.
CLOCK_REALTIME_COARSE = getattr(time, "CLOCK_REALTIME_COARSE", 5)


def send_timed(client: ApplianceClient, prop: dict) -> Exchange:
    before = int(time.clock_gettime(CLOCK_REALTIME_COARSE))
    response = client.propose(prop)
    after = int(time.time())
    return Exchange(prop, response, before, after)
