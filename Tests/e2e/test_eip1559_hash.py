"""EIP-1559 signing hashes, raw signed transactions and their decoding cross-checked against eth-account."""
from eth_account import Account
from eth_account.typed_transactions import TypedTransaction

from conftest import hx, random_address

CASES = 1200


def random_fields(rng):
    def number(bits):
        return rng.choice([0, 1, 127, 128, 2**bits - 1, rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])

    fields = {
        "type": 2, "chainId": rng.choice([1, 10, 8453, 131277322940537, number(64)]), "nonce": number(64),
        "maxPriorityFeePerGas": number(256), "maxFeePerGas": number(256), "gas": number(64),
        "value": number(256), "data": rng.randbytes(rng.choice([0, 1, 4, 55, 56, 68, 300])),
        "accessList": [
            {"address": random_address(rng), "storageKeys": [hx(rng.randbytes(32)) for _ in range(rng.randint(0, 3))]}
            for _ in range(rng.choice([0, 0, 1, 2]))
        ],
    }
    if rng.random() < 0.9:
        fields["to"] = random_address(rng)
    return fields


def to_json(fields):
    out = {k: (str(v) if isinstance(v, int) else v) for k, v in fields.items() if k != "type"}
    out["data"] = hx(fields["data"])
    return out


def test_signing_hash_matches_eth_account(tool, rng):
    cases = [random_fields(rng) for _ in range(CASES)]
    got = tool.results([{"cmd": "eip1559_signing_hash", "tx": to_json(f)} for f in cases])
    for fields, result in zip(cases, got):
        assert result["signingHash"] == hx(TypedTransaction.from_dict(dict(fields)).hash()), fields


def test_raw_signed_transaction_and_hash_match_eth_account_and_decode_back(tool, rng):
    cases = []
    for _ in range(CASES // 4):
        fields = random_fields(rng)
        key = hx(rng.randbytes(31).rjust(32, b"\x01"))
        signed = Account.sign_transaction(dict(fields), key)
        cases.append((fields, signed))
    requests = [{"cmd": "eip1559_signing_hash", "tx": to_json(f),
                 "signature": {"r": str(s.r), "s": str(s.s), "yParity": s.v}} for f, s in cases]
    requests += [{"cmd": "eip1559_decode", "raw": hx(s.raw_transaction)} for _, s in cases]
    got = tool.results(requests)
    n = len(cases)
    for (fields, signed), built, decoded in zip(cases, got[:n], got[n:]):
        assert built["raw"] == hx(signed.raw_transaction)
        assert built["hash"] == hx(signed.hash)
        assert decoded["hash"] == hx(signed.hash)
        assert decoded["signingHash"] == built["signingHash"]
        assert int(decoded["r"], 16) == signed.r and int(decoded["s"], 16) == signed.s
        assert decoded["yParity"] == signed.v


def test_signed_transaction_with_leading_zero_integer_is_refused(tool, rng):
    import rlp
    fields = random_fields(rng)
    signed = Account.sign_transaction(dict(fields), "0x" + "46" * 32)
    items = rlp.decode(bytes(signed.raw_transaction)[1:])
    items[1] = b"\x00" + items[1]  # nonce with a leading zero byte
    [response] = tool.run([{"cmd": "eip1559_decode", "raw": hx(b"\x02" + rlp.encode(items))}])
    assert not response["ok"]
