"""Signatures made inside a real SoftHSM2 token, recovered by independent tools.

EIP-1559 transactions signed in the HSM must recover (eth-account) to the HSM key's address and hash to the same
transaction hash; EIP-191 personal-message signatures must recover with eth-account's `recover_message`; raw
digest signatures must be low-s (EIP-2) and recover with eth-keys, including those whose r or s starts with zero
bytes.
"""
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_keys import keys
from eth_utils import keccak

from conftest import hx
from test_eip1559_hash import random_fields, to_json

CASES = 1000
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_hsm_signed_eip1559_transactions_recover_to_the_hsm_address(tool, rng):
    cases = [random_fields(rng) for _ in range(CASES)]
    # One batch is one tool process and so one throwaway token: ask for its address in the same batch.
    address, *got = tool.results([{"cmd": "hsm_address"}] + [{"cmd": "hsm_sign_eip1559", "tx": to_json(f)}
                                                             for f in cases])
    for fields, result in zip(cases, got):
        raw = bytes.fromhex(result["raw"][2:])
        assert result["from"] == address
        assert Account.recover_transaction(raw) == address, fields
        assert result["hash"] == hx(keccak(raw))


def test_hsm_personal_message_signatures_recover_with_eth_account(tool, rng):
    messages = [rng.randbytes(rng.choice([0, 1, 32, 100, 1000])) for _ in range(CASES)]
    got = tool.results([{"cmd": "hsm_sign_personal", "message": hx(m)} for m in messages])
    for message, result in zip(messages, got):
        recovered = Account.recover_message(encode_defunct(primitive=message), signature=result["signature"])
        assert recovered == result["address"]


def test_hsm_digest_signatures_are_low_s_and_recover_including_leading_zero_bytes(tool, rng):
    digests = [rng.randbytes(32) for _ in range(3000)]
    # Digests with leading zero bytes too.
    digests += [b"\x00" * k + rng.randbytes(32 - k) for k in (1, 2, 4) for _ in range(20)]
    got = tool.results([{"cmd": "hsm_sign_digest", "digest": hx(d)} for d in digests])
    zero_r = zero_s = 0
    for digest, result in zip(digests, got):
        r, s, v = int(result["r"], 16), int(result["s"], 16), result["v"]
        assert 0 < s <= SECP256K1_N // 2, "high-s signature"
        zero_r += result["r"].startswith("0x00")
        zero_s += result["s"].startswith("0x00")
        signature = keys.Signature(vrs=(v - 27, r, s))
        assert signature.recover_public_key_from_msg_hash(digest).to_checksum_address() == result["address"]
    # About 1 in 256 of each: with 3,060 signatures, none at all would be a 1-in-160,000 event.
    assert zero_r > 0 and zero_s > 0, (zero_r, zero_s)
