#!/usr/bin/env bash
# Window-end cut benchmark (issue 6): a window ends while one request runs `facts` on N
# devices that never answer (tether-devsim --fault hang), so at the end every device is
# in flight: 32 in SSH sessions (the fleet's concurrency), the rest queued. Reports, from the
# agent's audit log, how long after the window's end the last device session was ended,
# `window.closed` was written and the tunnel was down. Target: within 1 s, whatever is in
# flight.
#   bench/window_cut_bench.sh [BIN_DIR] [DEVICES]
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
devices=${2:-200}
work=$(mktemp -d /tmp/tether-cut-bench-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
# wait_for FILE PATTERN WHAT: a readiness line, bounded to 60 s.
wait_for() {
  for _ in $(seq 1 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$3 did not start; its log:" >&2
  cat "$1" >&2
  exit 1
}
site=bench-site

faults=()
for i in $(seq 1 "$devices"); do faults+=(--fault "$(printf 'dev%03d=hang' "$i")"); done
"$bin/tether-devsim" --devices "$devices" --state-dir "$work/site" "${faults[@]}" \
  --log-level warn > "$work/devsim.log" 2>&1 &
pids+=($!)
wait_for "$work/devsim.log" '^listening:' tether-devsim

"$bin/tether-console" ca init --dir "$work/ca" > /dev/null
"$bin/tether-console" ca issue --dir "$work/ca" --console 127.0.0.1 > /dev/null
"$bin/tether-console" ca issue --dir "$work/ca" --site "$site" > /dev/null
"$bin/tether-console" serve --listen 127.0.0.1:0 --cert "$work/ca/console-127.0.0.1.crt" \
  --key "$work/ca/console-127.0.0.1.key" --ca "$work/ca/ca.crt" --data-dir "$work/console" \
  > "$work/console.log" 2>&1 &
pids+=($!)
wait_for "$work/console.log" '^engineer socket' tether-console
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/console.log")

cat > "$work/agent.yaml" <<YAML
site: $site
policy:
  timezone: UTC
  service_hours: {start: "00:00", end: "24:00"}
  service_days: [mon, tue, wed, thu, fri, sat, sun]
  min_notice: 0s
  min_window_spacing: 0s
  closing_lead: 0s
  allow_unsynchronized_clock: true
console:
  endpoint: "127.0.0.1:$port"
  server_name: 127.0.0.1
  ca: "$work/ca/ca.crt"
  cert: "$work/ca/site-$site.crt"
  key: "$work/ca/site-$site.key"
paths:
  state_dir: "$work/agent-state"
  inventory: "$work/site/inventory.yaml"
  credentials: "$work/site/credentials.yaml"
  known_hosts: "$work/site/known_hosts"
control:
  socket: "$work/agent.sock"
  group: $(id -gn)
YAML
"$bin/tether-agent" --config "$work/agent.yaml" > "$work/agent.log" 2>&1 &
pids+=($!)
wait_for "$work/agent.log" 'tether-agent ready' tether-agent

start=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
"$bin/tetherctl" window add --config "$work/agent.yaml" --change CUT-1 --start "$start" \
  --duration 20s > /dev/null
for _ in $(seq 1 300); do  # the agent connects within 5 s of the start; bounded to 30 s
  "$bin/tether-console" agents --json --data-dir "$work/console" | grep -q "\"$site\"" && break
  sleep 0.1
done
"$bin/tether-console" run "$site" facts --data-dir "$work/console" > /dev/null
log="$work/agent-state/audit.log"
in_session=$(( devices < 32 ? devices : 32 ))
for _ in $(seq 1 300); do  # sessions open before the end; bounded to 30 s
  [ "$(grep -c '"event":"device.session_start"' "$log" || true)" -ge "$in_session" ] && break
  sleep 0.1
done
sessions=$(grep -c '"event":"device.session_start"' "$log" || true)
wait_for "$log" '"event":"window.closed"' "the cut"
for _ in $(seq 1 100); do  # tunnel.down follows window.closed at once; bounded to 10 s
  sed -n '/"event":"window.closed"/,$p' "$log" | grep -q '"event":"tunnel.down"' && break
  sleep 0.1
done

python3 - "$log" "$devices" "$sessions" <<'PY'
import json, sys, datetime
log, devices, sessions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
records = [json.loads(line) for line in open(log)]
def at(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
opened = next(r for r in records if r["event"] == "window.opened")
end = datetime.datetime.strptime(opened["fields"]["closes_at"], "%Y-%m-%dT%H:%M:%SZ")
closed = next(i for i, r in enumerate(records) if r["event"] == "window.closed")
def after_end(event, last=False):
    # The cut's records: from the window's end on (a redial's tunnel.down is earlier).
    times = [at(r["time"]) for r in records[closed if event == "tunnel.down" else 0:]
             if r["event"] == event]
    t = max(times) if last else min(times)
    return (t - end).total_seconds() * 1000
ended = sum(1 for r in records if r["event"] == "device.session_end")
print(f"window cut: {devices} devices in flight ({sessions} in SSH sessions, {devices - sessions} queued), "
      f"{ended} ended truncated; after the window end: last device.session_end {after_end('device.session_end', True):.0f} ms, "
      f"window.closed {after_end('window.closed'):.0f} ms, tunnel.down {after_end('tunnel.down'):.0f} ms (target: under 1000 ms)")
PY
