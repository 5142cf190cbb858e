#!/usr/bin/env bash
# `make demo`: the appliance on SoftHSM2, driven the way a planner, an operator and a co-signer would drive it.
# Inputs from the Makefile: APPLIANCE, PLANNER (release binaries), PYTHON (the test venv), DEMO_STATE.
set -euo pipefail
cd "$(dirname "$0")/.."

APPLIANCE=${APPLIANCE:?} PLANNER=${PLANNER:?} PYTHON=${PYTHON:?}
STATE=${DEMO_STATE:-demo-state}
SAFE_STATE="$STATE/safe" KEEPER_STATE="$STATE/keeper"
SOCKET="$STATE/appliance.sock" KEEPER_SOCKET="$STATE/keeper.sock"
bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$APPLIANCE|appliance|; s|$PLANNER|planner|"; "$@"; }
propose() {  # propose SOCKET FILE: fresh id and time, prints the decision; never fails the script
    local id; id="$(basename "$2" .json)-$(date +%s)"
    run "$PLANNER" propose --socket "$1" --file "$2" --id "$id" --created-now || true
}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for_socket() { for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done; echo "no socket at $1"; exit 1; }

rm -rf "$STATE"; mkdir -p "$STATE"; chmod 700 "$STATE"

bold "1. Initialise the appliance: a SoftHSM2 token under the state directory, keys generated inside it"
run "$APPLIANCE" init --state "$SAFE_STATE" --policy policy/demo.toml
run "$APPLIANCE" policy check policy/demo.toml | head -3

bold "2. Serve on a Unix socket (Safe mode: approvals become bundles for the multi-sig co-signers)"
"$APPLIANCE" serve --state "$SAFE_STATE" --socket "$SOCKET" 2> "$STATE/serve.log" & pids+=($!)
wait_for_socket "$SOCKET"; cat "$STATE/serve.log"

bold "3. The planner proposes a rebalance inside every bound: approved, signed in the HSM, audited, bundled"
propose "$SOCKET" scripts/demo/01-rebalance.json
bundle=$(ls "$SAFE_STATE"/bundles/*.json | head -1)
run "$APPLIANCE" bundle show "$bundle"
run "$APPLIANCE" bundle verify "$bundle"
echo "An independent tool (safe-eth-py and eth-account) checks the same bundle:"
"$PYTHON" Tests/e2e/independent_check.py bundle "$bundle"

bold "4. Another rebalance at once: rejected, the 6-hour cooldown holds"
propose "$SOCKET" scripts/demo/02-rebalance-again.json

bold "5. A (compromised) planner names an adapter outside the allowlist: rejected"
propose "$SOCKET" scripts/demo/03-unknown-adapter.json

bold "6. The operator engages the kill switch (instant; releasing it needs the governance quorum)"
run "$APPLIANCE" killswitch engage --socket "$SOCKET" --reason "demo: USDC de-peg drill"

bold "7. Emergency exit to the safe haven: approved even with the kill switch engaged and inside the cooldown"
propose "$SOCKET" scripts/demo/04-emergency-exit.json
exit_bundle=$(ls -t "$SAFE_STATE"/bundles/*.json | head -1)
run "$APPLIANCE" bundle verify "$exit_bundle"
run "$APPLIANCE" status --socket "$SOCKET"

bold "8. Keeper mode: the same policy signing EIP-1559 transactions with the keeper key"
sed -e 's/^mode = "safe"/mode = "keeper"/' -e '/^\[safe\]/,/^$/d' policy/demo.toml > "$STATE/demo-keeper.toml"
run "$APPLIANCE" init --state "$KEEPER_STATE" --policy "$STATE/demo-keeper.toml" --json
"$APPLIANCE" serve --state "$KEEPER_STATE" --socket "$KEEPER_SOCKET" 2> "$STATE/keeper.log" & pids+=($!)
wait_for_socket "$KEEPER_SOCKET"
out=$("$PLANNER" propose --socket "$KEEPER_SOCKET" --file scripts/demo/01-rebalance.json --id "keeper-$(date +%s)" \
      --created-now --json)
raw=$(printf '%s' "$out" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["signed"]["raw_transaction"])')
from=$(printf '%s' "$out" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["signed"]["from"])')
echo "approved: raw EIP-1559 transaction to the hub, from the keeper $from:"
echo "  ${raw:0:90}…"
echo "An independent tool (eth-account) recovers the signer:"
"$PYTHON" Tests/e2e/independent_check.py tx "$raw"

bold "9. Stop the appliances (SIGTERM: a final checkpoint is signed) and verify the audit chains"
cleanup; pids=()
run "$APPLIANCE" audit verify --state "$SAFE_STATE"
run "$APPLIANCE" audit verify --state "$KEEPER_STATE"
run "$APPLIANCE" audit tail --state "$SAFE_STATE" -n 4

bold "Summary"
cat <<TXT
- The keys were generated inside a SoftHSM2 token ($SAFE_STATE/softhsm) and never left it.
- The planner's valid rebalance was approved: a Safe bundle that 'appliance bundle verify' and independent tools
  (safe-eth-py, eth-account) agree on. The repeat was refused by the cooldown, the unknown adapter by the
  allowlist, and after the kill switch only the exit to the safe haven was signed.
- In keeper mode the appliance signed an EIP-1559 transaction to the hub that eth-account recovers to the keeper.
- Every decision is in a hash-chained audit log with checkpoints signed by a separate HSM key: 'audit verify' passed.
State is in $STATE/; 'appliance --help' lists every command.
TXT
