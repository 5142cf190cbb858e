"""Flood benchmark: hostile connections beside one honest planner, against a real `appliance serve` (a benchmark that
prints JSON, not a timed test; `test_appliance_flood.py` runs a short version and checks only correctness).

For `--seconds` (default 30), a separate process keeps `--hostile` connections (default 50) busy on the appliance's
Unix socket, in four kinds:
- garbage:   frames of random bytes, one after another on one connection (each is a protocol error);
- slowloris: a 65536-byte frame delivered one byte every 50 ms (the appliance's read timeout cuts it; reconnect);
- maxsize:   65536-byte proposals with oversized evidence (INVALID_FIELD), as fast as they are answered;
- storm:     connect and close at once, over and over.
Meanwhile the honest planner (this process) opens a new connection per request, like `planner propose`, and sends
distinct valid proposals (approved under a stress policy: no cooldown) alternating with status requests, and times
each round trip. From 60 % of the run, the operator engages the kill switch five times, each over its own new
connection; the time from connecting to the `status` frame that shows it engaged is the kill-switch time (the first
engagement stands; later ones are answered with the same status). Peak memory is the appliance's
VmHWM from /proc. Loopback only: everything stays on one Unix socket in a temporary directory.

    Tests/e2e/.venv/bin/python Tests/e2e/flood.py --appliance .build-rel/release/appliance --json
"""
import argparse
import json
import os
import random
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from appliance_client import encode_frame, read_frame  # noqa: E402

MAX_FRAME = 65536
KILL_SWITCH_SAMPLES = 5
KINDS = ("garbage", "slowloris", "maxsize", "storm")
TEMPLATE = {"id": "x", "created_at": "2026-11-27T09:00:00Z", "chain_id": 1, "kind": "rebalance",
            "targets": [{"adapter": "0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C", "weight_bps": 5000}],
            "reserve_bps": 5000, "max_slippage_bps": 10,
            "gas": {"max_fee_per_gas": "1", "max_priority_fee_per_gas": "1", "gas_limit": 21000},
            "expected": {"apy_gain_bps": 100, "gas_cost_bps": 1, "max_risk_score": 1}}


# MARK: - the hostile side (run in its own process: `flood.py --hostile-worker`)

def hostile_mix(count: int) -> list:
    """`count` connections spread over the four kinds as evenly as possible."""
    return [KINDS[i % len(KINDS)] for i in range(count)]


def connect(path: str, timeout: float = 10.0) -> socket.socket:
    """A blocking connect, as the appliance's own client makes it: with the listen backlog full it waits (up to
    `timeout`, SO_SNDTIMEO) instead of failing at once with EAGAIN like a non-blocking one."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", int(timeout), 0))
        sock.connect(path)
        sock.settimeout(timeout)
        return sock
    except OSError:
        sock.close()
        raise


def request(path: str, message: dict, connect_times: list | None = None) -> dict:
    began = time.perf_counter()
    sock = connect(path)
    if connect_times is not None:
        connect_times.append((time.perf_counter() - began) * 1000)
    try:
        sock.sendall(encode_frame(message))
        return read_frame(sock)
    finally:
        sock.close()


def maxsize_frame(rng: random.Random, template: dict) -> bytes:
    """A proposal of exactly 65536 bytes, valid but for its evidence value (INVALID_FIELD: decoded to the end)."""
    proposal = dict(template, id=f"flood-{rng.getrandbits(40)}", evidence={"x": ""})
    text = json.dumps({"type": "propose", "proposal": proposal}, separators=(",", ":")).encode()
    body = text.replace(b'"x":""', b'"x":"' + b"m" * (MAX_FRAME - len(text)) + b'"')
    return struct.pack(">I", len(body)) + body


def hostile_connection(kind: str, path: str, deadline: float, stats: dict, lock: threading.Lock, seed: int):
    rng = random.Random(seed)
    local = {"connections": 0, "frames": 0, "refused_connect": 0, "responses": {}}

    def answer(sock):
        frame = read_frame(sock)
        code = frame.get("code", frame.get("type"))
        local["responses"][code] = local["responses"].get(code, 0) + 1
        return code

    template = json.loads(json.dumps(TEMPLATE))
    while time.monotonic() < deadline:
        try:
            sock = connect(path, timeout=max(1.0, min(10.0, deadline - time.monotonic() + 1)))
        except OSError:
            local["refused_connect"] += 1
            time.sleep(0.01)
            continue
        local["connections"] += 1
        try:
            if kind == "storm":
                sock.close()
                continue
            if kind == "slowloris":
                sock.sendall(struct.pack(">I", MAX_FRAME))
                while time.monotonic() < deadline:
                    sock.sendall(b" ")
                    time.sleep(0.05)
                continue
            while time.monotonic() < deadline:
                if kind == "garbage":
                    sock.sendall(encode_garbage(rng))
                else:
                    sock.sendall(maxsize_frame(rng, template))
                local["frames"] += 1
                if answer(sock) == "BUSY":
                    break
        except (OSError, AssertionError, ValueError):
            pass   # cut off by the appliance (timeout, BUSY, reset): connect again
        finally:
            sock.close()
    with lock:
        for key in ("connections", "frames", "refused_connect"):
            stats[kind][key] += local[key]
        for code, n in local["responses"].items():
            stats[kind]["responses"][code] = stats[kind]["responses"].get(code, 0) + n


def encode_garbage(rng: random.Random) -> bytes:
    body = rng.randbytes(rng.randint(1, 512))
    return struct.pack(">I", len(body)) + body


def hostile_worker(path: str, count: int, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    stats = {k: {"threads": 0, "connections": 0, "frames": 0, "refused_connect": 0, "responses": {}} for k in KINDS}
    lock = threading.Lock()
    threads = []
    for i, kind in enumerate(hostile_mix(count)):
        stats[kind]["threads"] += 1
        threads.append(threading.Thread(target=hostile_connection, args=(kind, path, deadline, stats, lock, i),
                                        daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    return stats


# MARK: - the honest planner and the operator

def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def memory_kib(pid: int) -> dict:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0])
            elif key == "Threads":
                out[key] = int(value)
    except OSError:
        pass
    return out


def honest_planner(app, seconds: float, kill_at: float, result: dict):
    from appliance_harness import AllocationWalk, proposal

    rng = random.Random(20261127)
    walk = AllocationWalk(app.policy, rng)
    deadline = time.monotonic() + seconds
    latencies, outcomes, n = [], {}, 0
    by_type = {"propose": [], "status": []}
    connect_times = []
    kill_done = False
    engagements = []
    start = time.monotonic()
    while time.monotonic() < deadline:
        # The operator engages the kill switch at kill_at, then again four times (each answered with the status;
        # the first engagement stands), so the figure is not one sample.
        due = kill_at + len(engagements) * max(0.2, (seconds - kill_at) / 6)
        if len(engagements) < KILL_SWITCH_SAMPLES and time.monotonic() - start >= due:
            engagements.append(engage_kill_switch(app.socket))
            kill_done = True
            continue
        n += 1
        previous = walk.current
        if n % 2 and not kill_done:
            targets, reserve = walk.next()
            message = {"type": "propose", "proposal": proposal(rng, f"honest-{n:05d}", targets, reserve)}
        else:
            message = {"type": "status"}
        began = time.perf_counter()
        try:
            response = request(app.socket, message, connect_times)
            key = response.get("decision") or response.get("code") or response["type"]
        except (OSError, AssertionError) as error:
            key = f"failed: {type(error).__name__}"
        latencies.append((time.perf_counter() - began) * 1000)
        by_type[message["type"]].append(latencies[-1])
        if key != "approved":
            walk.current = previous   # the walk moves on from the last approved allocation only
        outcomes[key] = outcomes.get(key, 0) + 1
        time.sleep(0.02)   # a planner paces itself; 20 ms keeps the 24 h limits of the stress policy in reach
    times = [e["ms"] for e in engagements]
    result["kill_switch"] = {"engaged": bool(engagements) and all(e["engaged"] for e in engagements),
                             "first_ms": times[0] if times else None,
                             "median_ms": round(statistics.median(times), 2) if times else None,
                             "max_ms": max(times) if times else None, "samples": len(times),
                             "errors": [e["error"] for e in engagements if e["error"]],
                             "busy_retries": sum(e["busy_retries"] for e in engagements)}
    result["honest"] = dict(summary(latencies), outcomes=outcomes,
                            propose=summary(by_type["propose"]), status=summary(by_type["status"]),
                            connect=summary(connect_times))


def summary(latencies: list) -> dict:
    """Round trips in milliseconds, connect included."""
    if not latencies:
        return {"requests": 0}
    return {"requests": len(latencies), "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(percentile(latencies, 0.99), 2), "max_ms": round(max(latencies), 2)}


def engage_kill_switch(path: str, give_up_after: float = 2.0) -> dict:
    """Engage as an operator would: a `BUSY` answer (every slot taken, DESIGN.md) is retried at once, for at most
    `give_up_after` seconds; the time reported runs from the first attempt to the status frame, retries included."""
    began = time.perf_counter()
    busy = 0
    while True:
        try:
            status = request(path, {"type": "engage_kill_switch", "reason": "flood benchmark"})
            engaged = status.get("type") == "status" and status["kill_switch"]["engaged"] is True
            code = status.get("code")
        except (OSError, AssertionError) as error:
            engaged, code = False, type(error).__name__
        if code != "BUSY" or time.perf_counter() - began > give_up_after:
            break
        busy += 1
        time.sleep(0.002)
    return {"ms": round((time.perf_counter() - began) * 1000, 2), "engaged": engaged, "error": code,
            "busy_retries": busy}


def run_flood(appliance_bin: str, seconds: float, hostile: int, kill_fraction: float = 0.6,
              serve_args=()) -> dict:
    os.environ["APPLIANCE_BIN"] = appliance_bin
    from appliance_harness import (_replace_line, demo_policy_text, keeper_policy, run_cli, running_appliance,
                                   stress_policy)

    # No cooldown, and at most 2000 bps a proposal, so the 24 h turnover budget (1,000,000 bps) outlasts the run.
    policy = _replace_line(stress_policy(keeper_policy(demo_policy_text())), "max_turnover_bps", "2000")
    with running_appliance(policy, serve_args=serve_args) as app:
        with app.client() as client:
            before = client.status()
        pid = app.process.pid
        worker = subprocess.Popen([sys.executable, __file__, "--hostile-worker", app.socket, str(hostile),
                                   str(seconds)], stdout=subprocess.PIPE, text=True)
        time.sleep(min(1.0, seconds / 10))   # let the flood build up first
        result = {}
        peak = {"Threads": 0, "VmRSS": 0}
        sampling = threading.Event()

        def sample():
            while not sampling.wait(0.1):
                now = memory_kib(pid)
                for key in peak:
                    peak[key] = max(peak[key], now.get(key, 0))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        honest_planner(app, seconds - min(1.0, seconds / 10), kill_fraction * seconds, result)
        hostile_out, _ = worker.communicate(timeout=seconds + 60)
        sampling.set()
        sampler.join()
        alive = app.process.poll() is None
        with app.client() as client:
            after = client.status()
        memory = memory_kib(pid)
        verify = run_cli("audit", "verify", "--state", app.state, "--json")
        db = Path(app.state) / "appliance.sqlite"
        db_bytes = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) if db.exists() else None
    hostile_stats = json.loads(hostile_out)
    return {
        # Other work on the machine skews every figure: report the load it was measured under.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "seconds": seconds,
        "serve_args": list(serve_args),
        "hostile_connections": hostile,
        "hostile": hostile_stats,
        "hostile_connections_opened": sum(s["connections"] for s in hostile_stats.values()),
        "honest": result["honest"],
        "kill_switch": result.get("kill_switch"),
        "appliance_alive": alive,
        "peak_memory_mib": round(memory.get("VmHWM", 0) / 1024, 1),
        "peak_threads": peak["Threads"],
        "audit_entries_added": after["audit"]["seq"] - before["audit"]["seq"],
        "approvals": after["next_nonce"] - before["next_nonce"],
        "state_bytes": db_bytes,
        "kill_switch_engaged_after": after["kill_switch"]["engaged"],
        "audit_verified": verify.returncode == 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appliance", default=str(Path(__file__).resolve().parents[2] / ".build" / "release"
                                                   / "appliance"),
                        help="the appliance binary (a release build; default .build/release/appliance)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the flood (default 30, at most 300)")
    parser.add_argument("--hostile", type=int, default=50, help="hostile connections at once (default 50, ≤ 500)")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="an extra `appliance serve` argument, e.g. --serve-arg=--max-connections=64 (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--hostile-worker", nargs=3, metavar=("SOCKET", "COUNT", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hostile_worker:
        path, count, seconds = args.hostile_worker
        print(json.dumps(hostile_worker(path, int(count), float(seconds))))
        return
    if not 2 <= args.seconds <= 300 or not 0 <= args.hostile <= 500:
        parser.error("--seconds must be 2…300 and --hostile 0…500 (the flood is bounded; 0 is the baseline)")
    if not Path(args.appliance).exists():
        print(f"error: no appliance binary at {args.appliance}\n"
              "hint: swift build -c release --product appliance, or pass --appliance PATH", file=sys.stderr)
        sys.exit(1)
    result = run_flood(args.appliance, args.seconds, args.hostile, serve_args=args.serve_arg)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        h = result["honest"]
        print(f"honest planner: {h['requests']} requests, p50 {h['p50_ms']} ms, p99 {h['p99_ms']} ms, "
              f"outcomes {h['outcomes']}")
        print(f"kill switch: {result['kill_switch']}")
        print(f"peak memory {result['peak_memory_mib']} MiB, peak threads {result['peak_threads']}, "
              f"hostile connections opened {result['hostile_connections_opened']}")


if __name__ == "__main__":
    main()
