#!/usr/bin/env bash
# The test command (also run by .ci/run): sets up what a fresh Debian machine lacks, then
# runs formatting, lint and every test. moto servers are started and stopped by the tests.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# tmux drives the end-to-end tests.
if ! command -v tmux >/dev/null 2>&1; then
    echo "==> installing tmux"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux
fi

# moto (the AWS emulator) for the backend and end-to-end tests.
if [ ! -x .venv/bin/moto_server ]; then
    echo "==> creating .venv with moto"
    if ! python3 -m venv .venv; then
        # Debian ships ensurepip separately.
        rm -rf .venv
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        python3 -m venv .venv
    fi
    .venv/bin/pip install -q 'moto[server]==5.*'
fi

echo "==> cargo fmt"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --all-targets -- -D warnings
echo "==> cargo test"
cargo test
