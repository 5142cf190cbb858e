"""Fixtures for the contract tests on titanoboa's in-memory py-evm: the whole system (contracts/deployment.py) is
deployed once per session, and every test runs inside `boa.env.anchor()`, so each starts from that state."""
import sys
from pathlib import Path

import boa
import pytest

CONTRACTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONTRACTS))

from deployment import USDC, BoaChain, deploy_system, fund_vault  # noqa: E402

DEPOSIT = 1_000_000 * USDC


class Accounts:
    def __init__(self, chain):
        for label in ["admin", "market", "keeper", "safe", "alice", "bob", "stranger", "thief"]:
            setattr(self, label, chain.account(label))


@pytest.fixture(scope="session")
def deployed():
    chain = BoaChain()
    acct = Accounts(chain)
    system = deploy_system(chain, acct.admin, acct.market, keeper=acct.keeper, safe=acct.safe)
    fund_vault(system, acct.alice, DEPOSIT)
    return system, acct


@pytest.fixture
def env(deployed):
    with boa.env.anchor():
        yield deployed


@pytest.fixture
def s(env):
    return env[0]


@pytest.fixture
def acct(env):
    return env[1]


def now() -> int:
    return boa.env.evm.patch.timestamp


def later(seconds: int, system=None, admin=None) -> None:
    """Moves the clock and, given the system, refreshes the price feed (it goes stale after 1 h)."""
    boa.env.time_travel(seconds=seconds)
    if system is not None:
        system.price_feed.setAnswer(10**8, now(), sender=admin)


def targets(system, weights: dict) -> list:
    return [(system.adapters[name].address, w) for name, w in weights.items()]


SPREAD = {"aave_core": 3000, "aave_prime": 2500, "curve": 2500, "erc4626": 1500}
