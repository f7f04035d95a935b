#!/usr/bin/env bash
# Measures what each injected fault does to the poller (requests/s before and during the
# fault, how failures are named, time to recover after it clears) and prints a table.
# Needs the moto venv (./scripts/test.sh creates it). About a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo test --test it faults::measure_faults -- --ignored --nocapture 2>&1 | grep -E '^(\||interval)'
