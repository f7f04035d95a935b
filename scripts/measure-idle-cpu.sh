#!/usr/bin/env bash
# Measures the CPU used by an idle `ecsdeck --demo` (release build) over a period, in tmux.
# Usage: scripts/measure-idle-cpu.sh [SECONDS] [extra ecsdeck args...]
# Prints the CPU time used and the average CPU share. Nobody presses a key meanwhile; the
# demo fleet keeps moving and the views keep polling, as they would on a real dashboard.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
shift || true
cargo build --release --quiet
socket="ecsdeck-idle-$$"
tmux -L "$socket" new-session -d -x 120 -y 40 ./target/release/ecsdeck --demo "$@"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT
sleep 3
pid=$(tmux -L "$socket" display-message -p -t 0 '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
sleep "$seconds"
after=$(ticks)
used=$(( after - before ))
awk -v used="$used" -v hz="$hz" -v s="$seconds" 'BEGIN {
  printf "ecsdeck --demo idle for %d s: %.2f s of CPU, %.2f%% of one core\n", s, used / hz, 100 * used / hz / s
}'
