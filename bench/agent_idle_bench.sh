#!/usr/bin/env bash
# Idle agent benchmark (issue 6): tether-agent between windows, with one window registered
# two days ahead, so its only timer is armed far away. Reports resident memory (VmRSS,
# VmHWM), threads, and wake-ups per minute: the context switches of all its threads
# (/proc/PID/task/*/status, voluntary + involuntary) over one idle minute. Target: under
# 16 MiB and no wake-ups but its timers.
#   bench/agent_idle_bench.sh [BIN_DIR] [SECONDS]
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
seconds=${2:-60}
work=$(mktemp -d /tmp/tether-idle-bench-XXXXXX)
agent_pid=
trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

cat > "$work/agent.yaml" <<YAML
site: bench-site
policy:
  timezone: UTC
  service_hours: {start: "00:00", end: "24:00"}
  service_days: [mon, tue, wed, thu, fri, sat, sun]
  min_notice: 0s
  allow_unsynchronized_clock: true
console:
  endpoint: "127.0.0.1:9"
  ca: "$work/none.pem"
  cert: "$work/none.pem"
  key: "$work/none.pem"
paths:
  state_dir: "$work/state"
  inventory: "$work/inventory.yaml"
control:
  socket: "$work/agent.sock"
  group: $(id -gn)
YAML
"$bin/tether-agent" --config "$work/agent.yaml" > "$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 300); do  # readiness line, bounded to 30 s
  grep -q 'tether-agent ready' "$work/agent.log" && break
  sleep 0.1
done
grep -q 'tether-agent ready' "$work/agent.log" || { cat "$work/agent.log"; exit 1; }
"$bin/tetherctl" window add --config "$work/agent.yaml" --change IDLE-1 \
  --start "$(date -u -d '+2 days' +%Y-%m-%dT10:00:00Z)" --duration 2h > /dev/null

switches() {  # context switches of every thread of the agent
  cat /proc/"$agent_pid"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'
}
field() { awk -v k="$1:" '$1 == k {print $2}' /proc/"$agent_pid"/status; }
before=$(switches)
sleep "$seconds"  # the measurement interval itself, not synchronisation
after=$(switches)
rss_kib=$(field VmRSS)
hwm_kib=$(field VmHWM)
threads=$(field Threads)
per_minute=$(awk -v d=$((after - before)) -v s="$seconds" 'BEGIN {printf "%.1f", d * 60 / s}')
printf 'idle agent: VmRSS %.1f MiB, VmHWM %.1f MiB, %s thread(s), %s wake-ups per minute (%d context switches in %d s)\n' \
  "$(awk -v k="$rss_kib" 'BEGIN {print k / 1024}')" "$(awk -v k="$hwm_kib" 'BEGIN {print k / 1024}')" \
  "$threads" "$per_minute" $((after - before)) "$seconds"
