# Rebalancer: the README's two commands are `make demo` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := softhsm2 opensc libsecp256k1-dev libsqlite3-dev libp11-kit-dev libseccomp-dev pkg-config libopenblas-dev libxgboost-dev \
                python3-venv python3-pip postgresql systemd
VENV         := Tests/e2e/.venv
PYTHON       := $(VENV)/bin/python
SWIFT_FLAGS  ?=
DEMO_STATE   ?= demo-state

.PHONY: help deps apt-deps venv build build-release test test-swift test-e2e demo clean
.PHONY: test-contracts
.PHONY: fuzz fuzz-build test-fuzz

# Fuzzing (Tests/Fuzz/README.md): libFuzzer harnesses, instrumented release builds in their own scratch directory.
FUZZ_HARNESSES ?= frame proposal policy rlp abi bundle
FUZZ_SECONDS   ?= 600
FUZZ_RUNS      ?=
FUZZ_TEST_RUNS ?= 20000
FUZZ_SCRATCH   ?= .build-fuzz
FUZZ_BUILD     := swift build $(SWIFT_FLAGS) -c release --sanitize=fuzzer -Xswiftc -DFUZZING \
                  --scratch-path $(FUZZ_SCRATCH)

help:
	@echo "make demo   install what is missing, build, and run the demo on embedded defaults"
	@echo "make test   install what is missing and run every test"
	@echo "make deps   only install missing Debian packages and the Python test environment"
	@echo "make clean  remove build output, the test venv and the demo state"
	@echo "make fuzz   run each fuzz harness for FUZZ_SECONDS (default 600) or FUZZ_RUNS executions"

deps: apt-deps venv

# Installs only the Debian packages that are not already installed.
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The Python environment for the cross-checks in Tests/e2e (rebuilt when requirements.txt changes).
venv: $(VENV)/.installed

$(VENV)/.installed: Tests/e2e/requirements.txt
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@echo "installing Python test tools into $(VENV)"
	@$(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/e2e/requirements.txt
	@touch $@

build: apt-deps
	swift build $(SWIFT_FLAGS) --build-tests

build-release: apt-deps
	swift build $(SWIFT_FLAGS) -c release --product appliance
	swift build $(SWIFT_FLAGS) -c release --product planner

test: deps
	$(MAKE) test-swift
	$(MAKE) test-fuzz
	$(MAKE) test-e2e
	$(MAKE) test-contracts

test-swift:
	swift build $(SWIFT_FLAGS) --build-tests
	swift test $(SWIFT_FLAGS) --skip-build

# PLANNER_BIN is a release build: the PPO acceptance runs (test_ppo_*.py) train for 300k steps.
test-e2e: venv
	swift build $(SWIFT_FLAGS) --product e2e-vectors
	swift build $(SWIFT_FLAGS) --product appliance
	swift build $(SWIFT_FLAGS) -c release --product planner
	bin="$$(swift build $(SWIFT_FLAGS) --show-bin-path)"; rel="$$(swift build $(SWIFT_FLAGS) -c release --show-bin-path)"; \
	  E2E_VECTORS_BIN="$$bin/e2e-vectors" APPLIANCE_BIN="$$bin/appliance" PLANNER_BIN="$$rel/planner" \
	  $(PYTHON) -m pytest -q Tests/e2e

# The contracts (contracts/README.md): unit, property (hypothesis, 1,000 examples each) and gas tests on an in-memory
# EVM. The on-chain end-to-end tests with the real appliance (Tests/e2e/test_chain_*.py) run in test-e2e.
test-contracts: venv
	cd contracts && $(abspath $(PYTHON)) -m pytest -q -p no:cacheprovider tests

demo: deps build-release
	bin="$$(swift build $(SWIFT_FLAGS) -c release --show-bin-path)"; \
	  DEMO_STATE=$(DEMO_STATE) APPLIANCE="$$bin/appliance" PLANNER="$$bin/planner" PYTHON="$$PWD/$(PYTHON)" \
	  bash scripts/demo.sh

clean:
	rm -rf .build $(VENV) $(DEMO_STATE) $(FUZZ_SCRATCH)

fuzz-build: apt-deps
	@for h in $(FUZZ_HARNESSES); do $(FUZZ_BUILD) --product fuzz-$$h || exit 1; done

# Each harness for FUZZ_SECONDS, or FUZZ_RUNS executions when set. The corpus grows in $(FUZZ_SCRATCH)/corpus (the
# committed seeds in Tests/Fuzz/corpus are read, never written); crashing inputs land in $(FUZZ_SCRATCH)/crashes.
fuzz: fuzz-build
	@bin="$$($(FUZZ_BUILD) --show-bin-path)"; mkdir -p $(FUZZ_SCRATCH)/crashes $(FUZZ_SCRATCH)/logs; \
	for h in $(FUZZ_HARNESSES); do \
	  mkdir -p $(FUZZ_SCRATCH)/corpus/$$h; log=$(FUZZ_SCRATCH)/logs/$$h.log; \
	  echo "fuzz-$$h: $(if $(FUZZ_RUNS),$(FUZZ_RUNS) executions,$(FUZZ_SECONDS) s), log in $$log"; \
	  "$$bin/fuzz-$$h" $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_SCRATCH)/crashes/$$h- $(FUZZ_SCRATCH)/corpus/$$h Tests/Fuzz/corpus/$$h >$$log 2>&1 \
	    || { tail -n 30 $$log; echo "fuzz-$$h found a crash: input in $(FUZZ_SCRATCH)/crashes"; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|DONE' $$log; \
	done

# Part of `make test`: every harness replays its committed corpus, then runs FUZZ_TEST_RUNS executions (at most 30 s);
# new inputs go to a temporary directory, so the checkout is not modified.
test-fuzz: fuzz-build
	@bin="$$($(FUZZ_BUILD) --show-bin-path)"; tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p $(FUZZ_SCRATCH)/crashes; \
	for h in $(FUZZ_HARNESSES); do \
	  mkdir -p "$$tmp/$$h"; \
	  "$$bin/fuzz-$$h" -runs=$(FUZZ_TEST_RUNS) -max_total_time=30 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_SCRATCH)/crashes/$$h- "$$tmp/$$h" Tests/Fuzz/corpus/$$h >"$$tmp/$$h.log" 2>&1 \
	    || { tail -n 30 "$$tmp/$$h.log"; echo "fuzz-$$h found a crash: input in $(FUZZ_SCRATCH)/crashes"; exit 1; }; \
	  echo "fuzz-$$h: $$(grep -oE 'DONE +cov: [0-9]+' "$$tmp/$$h.log" | grep -oE '[0-9]+$$') edges," \
	    "$$(grep -oE 'number_of_executed_units: [0-9]+' "$$tmp/$$h.log" | grep -oE '[0-9]+$$') executions, no crash"; \
	done
