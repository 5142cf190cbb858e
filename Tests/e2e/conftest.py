"""Shared fixtures for the Python cross-checks: the Swift `e2e-vectors` tool as one subprocess per test module.

The binary comes from $E2E_VECTORS_BIN (default: .build/debug/e2e-vectors under the repository root). Requests are
piped through in one batch: one JSON line in, one JSON line out, in order.
"""
import json
import os
import random
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 20261127


def tool_path() -> Path:
    path = Path(os.environ.get("E2E_VECTORS_BIN", REPO_ROOT / ".build" / "debug" / "e2e-vectors"))
    return path if path.is_absolute() else REPO_ROOT / path


class VectorsTool:
    """Runs one batch of requests through one e2e-vectors process."""

    def __init__(self, path: Path):
        if not path.exists():
            pytest.fail(f"e2e-vectors binary not found at {path}; build it with "
                        "`swift build --product e2e-vectors` or set E2E_VECTORS_BIN")
        self.path = path

    def run(self, requests):
        payload = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in requests)
        proc = subprocess.run([str(self.path)], input=payload.encode(), capture_output=True, timeout=600)
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        lines = proc.stdout.decode().splitlines()
        assert len(lines) == len(requests), f"{len(requests)} requests but {len(lines)} responses"
        return [json.loads(line) for line in lines]

    def results(self, requests):
        """Responses' results; every request must have succeeded."""
        out = []
        for request, response in zip(requests, self.run(requests)):
            assert response["ok"], f"request {request} failed: {response.get('error')}"
            out.append(response["result"])
        return out


@pytest.fixture(scope="module")
def tool():
    return VectorsTool(tool_path())


@pytest.fixture
def rng():
    return random.Random(SEED)


def hx(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def random_address(rng: random.Random) -> str:
    from eth_utils import to_checksum_address
    return to_checksum_address(hx(rng.randbytes(20)))


@pytest.fixture
def appliance_server():
    """A factory: `appliance_server(policy_text)` runs `appliance init` in a temporary state directory, starts
    `appliance serve` on a temporary socket and returns it once it accepts; at teardown each one is stopped with
    SIGTERM and must exit 0. Module-scoped runs use `appliance_harness.running_appliance` directly."""
    import contextlib
    from appliance_harness import running_appliance

    with contextlib.ExitStack() as stack:
        yield lambda policy_text: stack.enter_context(running_appliance(policy_text))
