"""EIP-712 signing hashes of random typed data cross-checked against eth-account's encode_typed_data."""
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from conftest import hx, random_address

CASES = 1200

DOMAIN_FIELDS = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                 ("verifyingContract", "address"), ("salt", "bytes32")]


def random_atomic(rng):
    return rng.choice(["address", "bool", "string", "bytes",
                       f"uint{8 * rng.randint(1, 32)}", f"int{8 * rng.randint(1, 32)}", f"bytes{rng.randint(1, 32)}",
                       "uint256", "bytes32"])


def random_types(rng):
    count = rng.randint(1, 3)
    names = [f"S{i}x{rng.randrange(1000)}" for i in range(count)]
    rng.shuffle(names)  # sorting in encodeType must not depend on declaration order
    types = {}
    for i, name in enumerate(names):
        fields = []
        for j in range(rng.randint(1, 5)):
            base = random_atomic(rng)
            if i + 1 < count and rng.random() < 0.35:
                base = rng.choice(names[i + 1:])
            suffix = rng.choice(["", "", "", "[]", f"[{rng.randint(1, 3)}]"])
            fields.append({"name": f"f{j}", "type": base + suffix})
        types[name] = fields
    # eth-account infers the primary type as the only unreferenced struct: make every other one reachable.
    for i, name in enumerate(names[1:], start=1):
        if not any(f["type"].split("[")[0] == name for n in names[:i] for f in types[n]):
            types[names[rng.randrange(i)]].append({"name": f"ref{i}", "type": name})
    return types, names[0]


def random_value(rng, types, type_name):
    """(value for eth-account, value for the Swift tool)."""
    if type_name.endswith("]"):
        base, size = type_name[: type_name.rindex("[")], type_name[type_name.rindex("[") + 1: -1]
        n = int(size) if size else rng.randint(0, 3)
        pairs = [random_value(rng, types, base) for _ in range(n)]
        return [p for p, _ in pairs], [j for _, j in pairs]
    if type_name in types:
        pairs = {f["name"]: random_value(rng, types, f["type"]) for f in types[type_name]}
        return {k: p for k, (p, _) in pairs.items()}, {k: j for k, (_, j) in pairs.items()}
    if type_name == "address":
        a = random_address(rng)
        return a, a
    if type_name == "bool":
        b = rng.random() < 0.5
        return b, b
    if type_name == "string":
        s = "".join(rng.choice("ab Z9é✓") for _ in range(rng.randint(0, 20)))
        return s, s
    if type_name == "bytes":
        b = hx(rng.randbytes(rng.randint(0, 70)))
        return b, b
    if type_name.startswith("bytes"):
        b = hx(rng.randbytes(int(type_name[5:])))
        return b, b
    bits = int(type_name.lstrip("uint"))
    if type_name.startswith("uint"):
        v = rng.choice([0, 1, 2**bits - 1, rng.getrandbits(bits)])
    else:
        v = rng.choice([0, -1, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1, rng.randint(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)])
    return v, str(v)


def random_typed_data(rng):
    types, primary = random_types(rng)
    domain_fields = [f for f in DOMAIN_FIELDS if rng.random() < 0.6] or [DOMAIN_FIELDS[0]]
    types_with_domain = {"EIP712Domain": [{"name": n, "type": t} for n, t in domain_fields], **types}
    domain = {n: random_value(rng, types, t) for n, t in domain_fields}
    message = random_value(rng, types, primary)
    py = {"types": types_with_domain, "primaryType": primary,
          "domain": {k: p for k, (p, _) in domain.items()}, "message": message[0]}
    js = {"types": types_with_domain, "primaryType": primary,
          "domain": {k: j for k, (_, j) in domain.items()}, "message": message[1]}
    return py, js


def reference(py):
    signable = encode_typed_data(full_message=py)
    return hx(keccak(b"\x19" + signable.version + signable.header + signable.body))


def test_signing_hash_matches_eth_account_for_random_typed_data(tool, rng):
    cases = [random_typed_data(rng) for _ in range(CASES)]
    got = tool.results([{"cmd": "eip712_hash", "typedData": js} for _, js in cases])
    for (py, _), h in zip(cases, got):
        assert h == reference(py), py


def test_mail_example_from_the_eip(tool):
    mail = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                     {"name": "contents", "type": "string"}],
        },
        "primaryType": "Mail",
        "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
                   "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                    "contents": "Hello, Bob!"},
    }
    [h] = tool.results([{"cmd": "eip712_hash", "typedData": mail}])
    assert h == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2" == reference(mail)
