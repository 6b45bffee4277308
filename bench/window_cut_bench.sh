#!/usr/bin/env bash
# Window-end cut benchmark (issue 6): a window ends while one request runs `facts` on N
# devices that never answer (tether-devsim --fault hang), so at the end every device is
# in flight: 32 in SSH sessions (the fleet's concurrency), the rest queued. Reports how
# long after the window's end the last device session was ended, `window.closed` was
# written and the tunnel was down (the agent's audit log), and when the console saw the
# agent's GOAWAY (its log). Target: within 1 s, whatever is in flight.
#   bench/window_cut_bench.sh [BIN_DIR] [DEVICES]
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
devices=${2:-200}
work=$(mktemp -d /tmp/tether-cut-bench-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
# wait_for, start_console, write_agent_yaml, start_agent
source "$(dirname "$(readlink -f "$0")")/../docs/examples/site_setup.sh"
site=bench-site

faults=()
for i in $(seq 1 "$devices"); do faults+=(--fault "$(printf 'dev%03d=hang' "$i")"); done
"$bin/tether-devsim" --devices "$devices" --state-dir "$work/site" "${faults[@]}" \
  --log-level warn > "$work/devsim.log" 2>&1 &
pids+=($!)
wait_for "$work/devsim.log" '^listening:' tether-devsim

start_console "$site"
write_agent_yaml "$site" 'policy:
  timezone: UTC
  service_hours: {start: "00:00", end: "24:00"}
  service_days: [mon, tue, wed, thu, fri, sat, sun]
  min_notice: 0s
  min_window_spacing: 0s
  closing_lead: 0s
  allow_unsynchronized_clock: true'
start_agent

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

wait_for "$work/console.log" 'agent sent GOAWAY' "the console's view of the cut"

python3 - "$log" "$devices" "$sessions" "$work/console.log" <<'PY'
import json, re, sys, datetime
log, devices, sessions, console_log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
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
# The console logs local time: "[2026-11-24 12:32:17.103] [console] [info] ... agent sent GOAWAY ..."
line = [l for l in open(console_log) if "agent sent GOAWAY" in l][-1]
seen = datetime.datetime.strptime(re.match(r"\[([^]]+)\]", line).group(1), "%Y-%m-%d %H:%M:%S.%f")
seen = seen.astimezone(datetime.timezone.utc).replace(tzinfo=None)
console_ms = (seen - end).total_seconds() * 1000
print(f"window cut: {devices} devices in flight ({sessions} in SSH sessions, {devices - sessions} queued), "
      f"{ended} ended truncated; after the window end: last device.session_end {after_end('device.session_end', True):.0f} ms, "
      f"window.closed {after_end('window.closed'):.0f} ms, tunnel.down {after_end('tunnel.down'):.0f} ms, "
      f"the console got the GOAWAY {console_ms:.0f} ms (target: under 1000 ms)")
PY
