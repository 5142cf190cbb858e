"""SafeTx hashes (Safe >= 1.3 EIP-712 domain) cross-checked against safe-eth-py's SafeTx.safe_tx_hash."""
from safe_eth.safe.safe_tx import SafeTx

from conftest import hx, random_address

CASES = 1500
ZERO = "0x" + "00" * 20


def random_case(rng):
    def number(bits):
        return rng.choice([0, 1, 2**bits - 1, rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])

    gas_token = rng.choice([None, random_address(rng)])
    refund = rng.choice([None, random_address(rng)])
    fields = {
        "to": random_address(rng), "value": number(256), "data": rng.randbytes(rng.choice([0, 1, 4, 36, 68, 200])),
        "operation": rng.randrange(2), "safeTxGas": number(256), "baseGas": number(256), "gasPrice": number(256),
        "gasToken": gas_token, "refundReceiver": refund, "nonce": number(256),
    }
    chain_id = rng.choice([1, 10, 100, 137, 8453, 42161, 11155111, 131277322940537, 2**64 - 1, rng.getrandbits(64)])
    return chain_id, random_address(rng), fields, rng.choice(["1.3.0", "1.4.1"])


def reference_hash(chain_id, safe, f, version):
    tx = SafeTx(None, safe, f["to"], f["value"], f["data"], f["operation"], f["safeTxGas"], f["baseGas"],
                f["gasPrice"], f["gasToken"], f["refundReceiver"], safe_nonce=f["nonce"], safe_version=version,
                chain_id=chain_id)
    return hx(tx.safe_tx_hash)


def request(chain_id, safe, f):
    tx = {k: (str(v) if isinstance(v, int) else v) for k, v in f.items()}
    tx["data"] = hx(f["data"])
    tx["gasToken"] = f["gasToken"] or ZERO
    tx["refundReceiver"] = f["refundReceiver"] or ZERO
    return {"cmd": "safe_tx_hash", "chainId": str(chain_id), "safe": safe, "tx": tx}


def test_safe_tx_hash_matches_safe_eth_py(tool, rng):
    cases = [random_case(rng) for _ in range(CASES)]
    got = tool.results([request(c, s, f) for c, s, f, _ in cases])
    for (chain_id, safe, f, version), h in zip(cases, got):
        assert h == reference_hash(chain_id, safe, f, version), (chain_id, safe, f)


def test_operation_other_than_call_or_delegatecall_is_refused(tool, rng):
    chain_id, safe, f, _ = random_case(rng)
    req = request(chain_id, safe, f)
    req["tx"]["operation"] = "2"
    [response] = tool.run([req])
    assert not response["ok"]
