"""Compiles the contracts and deploys the whole system on an in-memory chain: titanoboa (unit and property tests)
or web3 on eth-tester/py-evm (end-to-end tests, gas table). Both go through the same `deploy_system`, so what the
unit tests check is what the end-to-end tests run.

The system: USDC/USDT/DAI test tokens, two Aave v3 test pools (core and prime) with their aTokens, a Curve 3pool
test double with its LP token, an ERC-4626 test vault, a price-feed test double, then the Vault, the
KillSwitchManager, the StrategyHub and four adapters (Aave core = the safe haven, Aave prime, Curve 3pool,
ERC-4626), each market seeded with third-party liquidity. Test doubles are named as such: mainnet cannot exist here.
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

CONTRACTS_DIR = Path(__file__).resolve().parent

SOURCES = {
    "Vault": "Vault.vy",
    "StrategyHub": "StrategyHub.vy",
    "KillSwitchManager": "KillSwitchManager.vy",
    "AaveV3Adapter": "adapters/AaveV3Adapter.vy",
    "CurveStableAdapter": "adapters/CurveStableAdapter.vy",
    "ERC4626Adapter": "adapters/ERC4626Adapter.vy",
    "TestToken": "doubles/TestToken.vy",
    "TestAToken": "doubles/TestAToken.vy",
    "TestAavePool": "doubles/TestAavePool.vy",
    "TestCurve3Pool": "doubles/TestCurve3Pool.vy",
    "TestAggregator": "doubles/TestAggregator.vy",
    "TestERC4626Vault": "doubles/TestERC4626Vault.vy",
}

KEEPER_ROLE_TEXT = "KEEPER_ROLE"
USDC = 10**6
MARKET_LIQUIDITY = 50_000_000 * USDC          # third-party liquidity in each market
CURVE_FEE = 1_000_000                         # 1e10 units: 0.01 %, the 3pool's fee
DEPOSIT_CAP = 100_000_000 * USDC

# name, class (policy/RULES.md), max weight in bps: the hub's allowlist and the policy's [adapters] table.
ADAPTERS = [
    ("aave_core", "Aave V3 USDC", "lending", 5000),
    ("aave_prime", "Aave V3 USDC (Prime)", "lending", 5000),
    ("curve", "Curve 3pool", "stable_lp", 3000),
    ("erc4626", "Yearn V3 USDC", "lending", 2000),
]
SAFE_HAVEN = "aave_core"


@functools.cache
def compiled(name: str) -> tuple[list, bytes]:
    """(abi, deployment bytecode) of one contract, compiled with vyper from this directory and snekmate."""
    import vyper
    from vyper.compiler.input_bundle import FilesystemInputBundle

    path = CONTRACTS_DIR / SOURCES[name]
    search = [CONTRACTS_DIR] + [Path(p) for p in sys.path if p and Path(p).is_dir()]
    out = vyper.compile_code(path.read_text(), contract_path=str(path.relative_to(CONTRACTS_DIR)),
                             resolved_path=path, input_bundle=FilesystemInputBundle(search),
                             output_formats=["abi", "bytecode"])
    return out["abi"], bytes.fromhex(out["bytecode"].removeprefix("0x"))


# MARK: - two chains behind one small interface


class BoaChain:
    """titanoboa's in-process py-evm. Contracts are boa contract objects."""

    def __init__(self):
        import boa
        self.boa = boa
        self._deployers = {}

    def account(self, label: str) -> str:
        return self.boa.env.generate_address(label)

    def deploy(self, name: str, *args, sender: str):
        if name not in self._deployers:
            self._deployers[name] = self.boa.load_partial(str(CONTRACTS_DIR / SOURCES[name]))
        with self.boa.env.prank(sender):
            return self._deployers[name].deploy(*args)

    def transact(self, contract, fn: str, *args, sender: str):
        return getattr(contract, fn)(*args, sender=sender)

    def view(self, contract, fn: str, *args):
        return getattr(contract, fn)(*args)

    def address(self, contract) -> str:
        return str(contract.address)


class Web3Chain:
    """web3 over eth-tester (py-evm): every deployment and call is a mined transaction with a receipt."""

    def __init__(self, w3):
        self.w3 = w3
        self.receipts = []
        self._accounts = iter(w3.eth.accounts)

    def account(self, label: str) -> str:
        return next(self._accounts)

    def deploy(self, name: str, *args, sender: str):
        abi, bytecode = compiled(name)
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        receipt = self._mine(factory.constructor(*args).transact({"from": sender}))
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=abi)

    def transact(self, contract, fn: str, *args, sender: str):
        return self._mine(getattr(contract.functions, fn)(*args).transact({"from": sender}))

    def view(self, contract, fn: str, *args):
        return getattr(contract.functions, fn)(*args).call()

    def address(self, contract) -> str:
        return contract.address

    def _mine(self, tx_hash):
        receipt = self.w3.eth.get_transaction_receipt(tx_hash)   # eth-tester mines each transaction at once
        assert receipt["status"] == 1, receipt
        self.receipts.append(receipt)
        return receipt


# MARK: - the system


@dataclass
class System:
    chain: object
    admin: str
    market: str                 # a third party with liquidity in every market
    usdc: object
    usdt: object
    dai: object
    lp_token: object
    aave_pools: dict            # name -> TestAavePool
    a_tokens: dict              # name -> TestAToken
    curve_pool: object
    yield_vault: object
    price_feed: object
    vault: object
    kill_switch: object
    hub: object
    adapters: dict = field(default_factory=dict)    # name -> adapter contract (in ADAPTERS order)

    def addr(self, contract) -> str:
        return self.chain.address(contract)

    @property
    def safe_haven(self):
        return self.adapters[SAFE_HAVEN]

    def adapter_values(self) -> dict:
        return {name: self.chain.view(a, "totalAssets") for name, a in self.adapters.items()}

    def idle(self) -> int:
        return self.chain.view(self.usdc, "balanceOf", self.addr(self.vault))

    def nav(self) -> int:
        return self.idle() + sum(self.adapter_values().values())


def deploy_system(chain, admin: str, market: str, *, keeper: str | None = None, safe: str | None = None,
                  seed_markets: bool = True) -> System:
    zero = "0x" + "00" * 20
    d = lambda name, *args: chain.deploy(name, *args, sender=admin)
    t = lambda contract, fn, *args, sender=admin: chain.transact(contract, fn, *args, sender=sender)
    a = chain.address

    usdc = d("TestToken", "USD Coin (test double)", "USDC", 6)
    usdt = d("TestToken", "Tether USD (test double)", "USDT", 6)
    dai = d("TestToken", "Dai (test double)", "DAI", 18)

    aave_pools, a_tokens = {}, {}
    for name in ["aave_core", "aave_prime"]:
        pool = d("TestAavePool")
        a_token = d("TestAToken", a(pool), a(usdc), "Aave USDC (test double)", "aUSDC", 6)
        t(pool, "initReserve", a(usdc), a(a_token))
        aave_pools[name], a_tokens[name] = pool, a_token

    curve_pool = d("TestCurve3Pool", [a(dai), a(usdc), a(usdt)], CURVE_FEE)
    lp_token = d("TestToken", "3pool LP (test double)", "3Crv", 18)
    t(lp_token, "set_minter", a(curve_pool), True)
    t(curve_pool, "setLPToken", a(lp_token))
    yield_vault = d("TestERC4626Vault", a(usdc), "Yearn USDC (test double)", "yvUSD")
    price_feed = d("TestAggregator", 8, 10**8)

    vault = d("Vault", a(usdc), "Rebalancer USDC", "rbUSD", 6, DEPOSIT_CAP)
    kill_switch = d("KillSwitchManager", a(price_feed))
    hub = d("StrategyHub", a(vault), a(kill_switch))
    adapters = {
        "aave_core": d("AaveV3Adapter", a(hub), a(vault), a(aave_pools["aave_core"]), a(usdc),
                       a(a_tokens["aave_core"])),
        "aave_prime": d("AaveV3Adapter", a(hub), a(vault), a(aave_pools["aave_prime"]), a(usdc),
                        a(a_tokens["aave_prime"])),
        "curve": d("CurveStableAdapter", a(hub), a(vault), a(curve_pool), a(lp_token), 1),
        "erc4626": d("ERC4626Adapter", a(hub), a(vault), a(yield_vault)),
    }
    # One unit of the asset in each adapter keeps its balance slot non-zero: a deposit passing through it then
    # costs a non-zero-to-non-zero write instead of a fresh one (~17k gas less per adapter and rebalance).
    for adapter in adapters.values():
        t(usdc, "mint", a(adapter), 1)
    for name, _, _, max_weight in ADAPTERS:
        t(hub, "addAdapter", a(adapters[name]), max_weight)
    t(hub, "setSafeHaven", a(adapters[SAFE_HAVEN]))
    t(hub, "setCallers", keeper or zero, safe or zero)
    t(vault, "setStrategyHub", a(hub))
    t(vault, "grantRole", keccak_text(KEEPER_ROLE_TEXT), a(hub))

    if seed_markets:
        # Third-party liquidity, so that each market has a TVL of its own and the 3pool a real virtual price.
        for token, amount in [(usdc, 4 * MARKET_LIQUIDITY), (usdt, MARKET_LIQUIDITY),
                              (dai, MARKET_LIQUIDITY * 10**12)]:
            t(token, "mint", market, amount)
        for pool in aave_pools.values():
            t(usdc, "approve", a(pool), MARKET_LIQUIDITY, sender=market)
            t(pool, "supply", a(usdc), MARKET_LIQUIDITY, market, 0, sender=market)
        for token in [dai, usdc, usdt]:
            t(token, "approve", a(curve_pool), 2**256 - 1, sender=market)
        t(curve_pool, "add_liquidity", [MARKET_LIQUIDITY * 10**12, MARKET_LIQUIDITY, MARKET_LIQUIDITY], 0,
          sender=market)
        t(usdc, "approve", a(yield_vault), MARKET_LIQUIDITY, sender=market)
        t(yield_vault, "deposit", MARKET_LIQUIDITY, market, sender=market)
    for adapter in adapters.values():
        t(kill_switch, "addSource", a(adapter))

    return System(chain, admin, market, usdc, usdt, dai, lp_token, aave_pools, a_tokens, curve_pool, yield_vault,
                  price_feed, vault, kill_switch, hub, adapters)


def keccak_text(text: str) -> bytes:
    from eth_utils import keccak
    return keccak(text=text)


def fund_vault(system: System, depositor: str, amount: int) -> None:
    """Mints `amount` test USDC to `depositor` and deposits it into the vault."""
    chain, a = system.chain, system.chain.address
    chain.transact(system.usdc, "mint", depositor, amount, sender=system.admin)
    chain.transact(system.usdc, "approve", a(system.vault), amount, sender=depositor)
    chain.transact(system.vault, "deposit", amount, depositor, sender=depositor)


def eth_tester_chain():
    """A fresh eth-tester chain on py-evm: (tester, web3, Web3Chain). Its chain id is 131277322940537."""
    from eth_tester import EthereumTester, PyEVMBackend
    from web3 import EthereumTesterProvider, Web3

    tester = EthereumTester(PyEVMBackend())
    w3 = Web3(EthereumTesterProvider(tester))
    return tester, w3, Web3Chain(w3)


def time_travel(tester, seconds: int) -> None:
    """Moves eth-tester's clock forward and mines a block there."""
    latest = tester.get_block_by_number("latest")["timestamp"]
    tester.time_travel(latest + seconds)
