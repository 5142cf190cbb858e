"""Independent checks of what the appliance signed, with the Python reference tools (used by `make demo`).

    python independent_check.py bundle FILE     recompute the SafeTx hash with safe-eth-py and recover both
                                                appliance signatures with eth-account
    python independent_check.py tx RAW          recover an EIP-1559 transaction's sender with eth-account

Prints what it found; exits 1 if anything disagrees.
"""
import json
import sys

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak
from safe_eth.safe.safe_tx import SafeTx


def check_bundle(path):
    bundle = json.load(open(path))
    t = bundle["safe_tx"]
    tx = SafeTx(None, bundle["safe"], t["to"], int(t["value"]), bytes.fromhex(t["data"][2:]), t["operation"],
                int(t["safe_tx_gas"]), int(t["base_gas"]), int(t["gas_price"]), t["gas_token"],
                t["refund_receiver"], safe_nonce=int(t["nonce"]), safe_version="1.4.1", chain_id=bundle["chain_id"])
    ours = "0x" + bytes(tx.safe_tx_hash).hex()
    signer = Account._recover_hash(bytes(tx.safe_tx_hash), signature=bundle["appliance"]["signature"])
    body = json.loads(json.dumps(bundle))
    del body["appliance"]["signature"], body["appliance"]["bundle_signature"]
    compact = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    bundle_signer = Account.recover_message(encode_defunct(primitive=keccak(compact)),
                                            signature=bundle["appliance"]["bundle_signature"])
    print(f"  safe-eth-py SafeTx hash   {ours}  ({'matches' if ours == bundle['safe_tx_hash'] else 'DIFFERS'})")
    print(f"  eth-account recovers     {signer} from appliance.signature")
    print(f"  eth-account recovers     {bundle_signer} from appliance.bundle_signature")
    ok = ours == bundle["safe_tx_hash"] and signer == bundle_signer == bundle["appliance"]["address"]
    print(f"  {'agrees with' if ok else 'DISAGREES with'} the appliance address {bundle['appliance']['address']}")
    return ok


def check_transaction(raw):
    sender = Account.recover_transaction(raw)
    print(f"  eth-account recovers sender {sender}, transaction hash 0x{keccak(bytes.fromhex(raw[2:])).hex()}")
    return sender


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("bundle", "tx"):
        sys.exit(__doc__)
    if sys.argv[1] == "bundle":
        sys.exit(0 if check_bundle(sys.argv[2]) else 1)
    check_transaction(sys.argv[2])
