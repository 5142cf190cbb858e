#!/usr/bin/env bash
# `make demo`: the whole system on SoftHSM2. The appliance signs only what its policy allows; the planner
# backtests its strategies on the committed history, then runs live cycles against the appliance: an approved
# rebalance, a cooldown rejection it backs off from, and a replayed de-peg that engages the kill switch and
# leads to an approved emergency exit. A co-signer and independent tools check what was signed.
# Inputs from the Makefile: APPLIANCE, PLANNER (release binaries), PYTHON (the test venv), DEMO_STATE.
set -euo pipefail
cd "$(dirname "$0")/.."

APPLIANCE=${APPLIANCE:?} PLANNER=${PLANNER:?} PYTHON=${PYTHON:?}
STATE=${DEMO_STATE:-demo-state}
SAFE_STATE="$STATE/safe" KEEPER_STATE="$STATE/keeper" PLANNER_STATE="$STATE/planner"
SOCKET="$STATE/appliance.sock" KEEPER_SOCKET="$STATE/keeper.sock"
DEPEG_AT="2023-03-11T06:00:00Z"   # USDC's Chainlink feed fell below 0.98 at 03:20 UTC that day (SVB)
START=$(date +%s)
bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '%s\n' "$*" | fold -s -w 116; }
run() { printf '$ %s\n' "$*" | sed "s|$APPLIANCE|appliance|g; s|$PLANNER|planner|g"; "$@"; }
json() { "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
newest_bundle() { ls -t "$PLANNER_STATE"/bundles/*.json | head -1; }
plan() {  # plan ARGS...: one `planner run --once` cycle, as a person reads it (output kept in $STATE/last-cycle.txt)
    local status=0
    printf '$ planner run --socket %s --state %s --once %s\n' "$SOCKET" "$PLANNER_STATE" "$*"
    "$PLANNER" run --socket "$SOCKET" --state "$PLANNER_STATE" --once "$@" > "$STATE/last-cycle.txt" || status=$?
    cat "$STATE/last-cycle.txt"
    echo "(exit status $status: 0 approved or held, 3 rejected)"
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

bold "3. Backtest the planner's strategies against baselines on the committed history"
if "$PLANNER" backtest --help > /dev/null 2>&1; then
    run "$PLANNER" backtest --data Planner/history --report "$STATE/backtest.html" | tee "$STATE/backtest.txt"
    say "The full report (equity curves, drawdowns, per-strategy metrics) is in $STATE/backtest.html."
else
    say "(planner backtest is not in this build yet: skipped)"
fi

bold "4. The planner's live loop, one cycle: data, forecast, risk, decide, propose — approved and bundled"
say "The market state is the committed history's last day; the proposal carries the real time. From the \
all-reserve start the policy lets one proposal move at most half the capital (max_turnover_bps)."
plan
first_bundle=$(newest_bundle)
run "$APPLIANCE" bundle show "$first_bundle"
run "$APPLIANCE" bundle verify "$first_bundle"
echo "An independent tool (safe-eth-py and eth-account) checks the same bundle:"
"$PYTHON" Tests/e2e/independent_check.py bundle "$first_bundle"

bold "5. The next cycle, at once: the appliance rejects it (6-hour cooldown) and the planner backs off"
plan
backoff_until=$(sed -n 's/.*backing off until //p' "$STATE/last-cycle.txt")
say "Another cycle inside the back-off sends nothing at all:"
plan

bold "6. A compromised planner names an adapter outside the allowlist: rejected whatever it claims"
run "$PLANNER" propose --socket "$SOCKET" --file scripts/demo/03-unknown-adapter.json --id "rogue-$(date +%s)" \
    --created-now || true

bold "7. Replay of 11 March 2023 (the USDC de-peg) as if live: the risk engine says exit"
say "The market state is the history cut at $DEPEG_AT; the planner engages the appliance's kill switch, then \
proposes an emergency exit to the safe haven, which the policy allows even inside the cooldown."
plan --as-of "$DEPEG_AT"
exit_bundle=$(newest_bundle)
run "$APPLIANCE" bundle show "$exit_bundle"
run "$APPLIANCE" bundle verify "$exit_bundle"
"$PYTHON" Tests/e2e/independent_check.py bundle "$exit_bundle"
run "$APPLIANCE" status --socket "$SOCKET"

bold "8. Keeper mode: the same policy signing EIP-1559 transactions with the keeper key"
sed -e 's/^mode = "safe"/mode = "keeper"/' -e '/^\[safe\]/,/^$/d' policy/demo.toml > "$STATE/demo-keeper.toml"
run "$APPLIANCE" init --state "$KEEPER_STATE" --policy "$STATE/demo-keeper.toml" --json
"$APPLIANCE" serve --state "$KEEPER_STATE" --socket "$KEEPER_SOCKET" 2> "$STATE/keeper.log" & pids+=($!)
wait_for_socket "$KEEPER_SOCKET"
"$PLANNER" run --socket "$KEEPER_SOCKET" --state "$STATE/keeper-planner" --policy "$STATE/demo-keeper.toml" \
    --once --json > "$STATE/keeper-cycle.json"
raw=$(json raw_transaction < "$STATE/keeper-cycle.json")
echo "approved: raw EIP-1559 transaction to the hub, hash $(json transaction_hash < "$STATE/keeper-cycle.json"):"
echo "  ${raw:0:90}…"
echo "An independent tool (eth-account) recovers the signer:"
"$PYTHON" Tests/e2e/independent_check.py tx "$raw"

bold "9. Stop the appliances (SIGTERM: a final checkpoint is signed) and verify the audit chains"
cleanup; pids=()
run "$APPLIANCE" audit verify --state "$SAFE_STATE"
run "$APPLIANCE" audit verify --state "$KEEPER_STATE"
run "$APPLIANCE" audit tail --state "$SAFE_STATE" -n 6

bold "Summary"
cat <<TXT
- The keys were generated inside a SoftHSM2 token ($SAFE_STATE/softhsm) and never left it.
- The planner backtested its strategies against baselines on the committed history (report: $STATE/backtest.html).
- Live cycle 1 was approved: a Safe bundle that 'appliance bundle verify' and independent tools (safe-eth-py,
  eth-account) agree on. Cycle 2 was refused by the 6-hour cooldown; the planner backed off until
  $backoff_until and sent nothing in between. A rogue proposal to an unknown adapter was refused.
- Replaying the March 2023 USDC de-peg, the risk engine demanded an exit: the planner engaged the kill switch and
  its emergency exit to the safe haven was approved and verified.
- In keeper mode the appliance signed an EIP-1559 transaction to the hub that eth-account recovers to the keeper.
- Every decision is in a hash-chained audit log with checkpoints signed by a separate HSM key: 'audit verify' passed.
State is in $STATE/ (planner: $PLANNER_STATE/planner.sqlite); the demo took $(( $(date +%s) - START )) s.
TXT
