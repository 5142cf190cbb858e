"""ABI encoding and strict decoding cross-checked against eth-abi on random nested types and values."""
import random

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode

from conftest import hx

CASES = 1500


def random_type(rng: random.Random, depth: int = 0):
    """A type as ("kind", …): string form via type_str, random values via random_value."""
    roll = rng.randrange(12 if depth < 3 else 7)
    if roll == 0:
        return ("address",)
    if roll == 1:
        return ("bool",)
    if roll == 2:
        return ("uint", 8 * rng.randint(1, 32))
    if roll == 3:
        return ("int", 8 * rng.randint(1, 32))
    if roll == 4:
        return ("bytesN", rng.randint(1, 32))
    if roll == 5:
        return ("bytes",)
    if roll == 6:
        return ("string",)
    if roll in (7, 8):
        return ("array", random_type(rng, depth + 1))
    if roll == 9:
        return ("fixed", random_type(rng, depth + 1), rng.randint(1, 3))
    return ("tuple", [random_type(rng, depth + 1) for _ in range(rng.randint(1, 4))])


def type_str(t) -> str:
    kind = t[0]
    if kind in ("address", "bool", "bytes", "string"):
        return kind
    if kind in ("uint", "int"):
        return f"{kind}{t[1]}"
    if kind == "bytesN":
        return f"bytes{t[1]}"
    if kind == "array":
        return type_str(t[1]) + "[]"
    if kind == "fixed":
        return type_str(t[1]) + f"[{t[2]}]"
    return "(" + ",".join(type_str(c) for c in t[1]) + ")"


ALPHABET = "aZ09 _é✓🙂\u0000\n\"\\"


def random_value(rng: random.Random, t):
    """Returns (python value for eth-abi, JSON value for the Swift tool)."""
    kind = t[0]
    if kind == "address":
        a = hx(rng.randbytes(20))
        return a, a
    if kind == "bool":
        b = rng.random() < 0.5
        return b, b
    if kind == "uint":
        bits = t[1]
        v = rng.choice([0, 1, 2**bits - 1, rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])
        return v, str(v)
    if kind == "int":
        bits = t[1]
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        v = rng.choice([0, -1, lo, hi, rng.randint(lo, hi), -rng.getrandbits(rng.randint(1, bits - 1))])
        return v, str(v)
    if kind == "bytesN":
        b = rng.randbytes(t[1])
        return b, hx(b)
    if kind == "bytes":
        b = rng.randbytes(rng.choice([0, 1, 31, 32, 33, 64, 100]))
        return b, hx(b)
    if kind == "string":
        s = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        return s, s
    if kind in ("array", "fixed"):
        n = t[2] if kind == "fixed" else rng.randint(0, 3)
        pairs = [random_value(rng, t[1]) for _ in range(n)]
        return [p for p, _ in pairs], [j for _, j in pairs]
    pairs = [random_value(rng, c) for c in t[1]]
    return tuple(p for p, _ in pairs), [j for _, j in pairs]


def normalize(t, v):
    """eth-abi's decoded form as the tool's JSON form."""
    kind = t[0]
    if kind == "address":
        return v.lower()
    if kind in ("uint", "int"):
        return str(v)
    if kind in ("bytesN", "bytes"):
        return hx(v)
    if kind in ("array", "fixed"):
        return [normalize(t[1], x) for x in v]
    if kind == "tuple":
        return [normalize(c, x) for c, x in zip(t[1], v)]
    return v


def make_cases(rng):
    cases = []
    for _ in range(CASES):
        types = [random_type(rng) for _ in range(rng.randint(1, 4))]
        pairs = [random_value(rng, t) for t in types]
        cases.append((types, [p for p, _ in pairs], [j for _, j in pairs]))
    return cases


def test_encoding_matches_eth_abi_for_random_nested_types(tool, rng):
    cases = make_cases(rng)
    requests = [{"cmd": "abi_encode", "types": [type_str(t) for t in types], "values": js}
                for types, _, js in cases]
    for (types, py, _), got in zip(cases, tool.results(requests)):
        expected = hx(abi_encode([type_str(t) for t in types], py))
        assert got == expected, [type_str(t) for t in types]


def test_decoding_eth_abi_encodings_gives_the_same_values(tool, rng):
    cases = make_cases(rng)
    requests = [{"cmd": "abi_decode", "types": [type_str(t) for t in types],
                 "data": hx(abi_encode([type_str(t) for t in types], py))} for types, py, _ in cases]
    for (types, _, js), got in zip(cases, tool.results(requests)):
        assert got == js, [type_str(t) for t in types]


def test_anything_the_strict_decoder_accepts_eth_abi_decodes_identically(tool, rng):
    """Mutated encodings: the Swift decoder may refuse more than eth-abi, but never decodes differently."""
    cases = make_cases(rng)
    requests, meta = [], []
    for types, py, _ in cases:
        names = [type_str(t) for t in types]
        data = bytearray(abi_encode(names, py))
        for _ in range(rng.randint(1, 3)):
            roll = rng.randrange(4)
            if roll == 0 and data:
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            elif roll == 1 and data:
                del data[-rng.randint(1, min(len(data), 40)):]
            elif roll == 2:
                data += bytes(32)
            elif len(data) >= 32:
                w = rng.randrange(len(data) // 32)
                data[w * 32 + 31] = rng.choice([0, 1, 32, 64, 0xff])
        requests.append({"cmd": "abi_decode", "types": names, "data": hx(data)})
        meta.append((types, names, bytes(data)))
    accepted = rejected = 0
    for (types, names, data), response in zip(meta, tool.run(requests)):
        if not response["ok"]:
            rejected += 1
            continue
        accepted += 1
        reference = abi_decode(names, data, strict=True)
        assert response["result"] == [normalize(t, v) for t, v in zip(types, reference)], names
    assert accepted > 50 and rejected > 300


def test_selector_matches_keccak_of_signature(tool):
    from eth_utils import keccak
    signatures = ["rebalance((address,uint16)[],uint16,uint16,uint256)", "transfer(address,uint256)", "f()"]
    got = tool.results([{"cmd": "selector", "signature": s} for s in signatures])
    assert got == [hx(keccak(text=s)[:4]) for s in signatures]
