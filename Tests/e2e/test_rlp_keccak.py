"""RLP encoding/strict decoding and Keccak-256 cross-checked against pyrlp and eth-hash."""
import rlp
from eth_utils import keccak

from conftest import hx

CASES = 1500


def random_item(rng, depth=0):
    if depth < 4 and rng.random() < 0.3:
        return [random_item(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.randbytes(rng.choice([0, 1, 1, 2, 55, 56, 57, 300]))


def as_json(item):
    return [as_json(i) for i in item] if isinstance(item, list) else hx(item)


def test_rlp_encoding_matches_pyrlp(tool, rng):
    items = [random_item(rng) for _ in range(CASES)]
    got = tool.results([{"cmd": "rlp_encode", "item": as_json(i)} for i in items])
    assert got == [hx(rlp.encode(i)) for i in items]


def test_anything_the_strict_rlp_decoder_accepts_pyrlp_decodes_identically(tool, rng):
    inputs = []
    for _ in range(CASES):
        data = bytearray(rlp.encode(random_item(rng)))
        roll = rng.randrange(3)
        if roll == 0 and data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif roll == 1 and data:
            del data[-rng.randint(1, len(data)):]
        else:
            data += rng.randbytes(rng.randint(0, 2))
        inputs.append(bytes(data))
    responses = tool.run([{"cmd": "rlp_decode", "data": hx(d)} for d in inputs])
    accepted = 0
    for data, response in zip(inputs, responses):
        if response["ok"]:
            accepted += 1
            assert response["result"] == as_json(rlp.decode(data, strict=True))
    assert 100 < accepted < CASES


def test_keccak_matches_eth_hash_around_the_rate(tool, rng):
    inputs = [rng.randbytes(n) for n in list(range(0, 300)) + [1000, 4096]]
    got = tool.results([{"cmd": "keccak", "data": hx(d)} for d in inputs])
    assert got == [hx(keccak(d)) for d in inputs]
