#!/usr/bin/env bash
# The tether demo (./run demo): the product doing its job, end to end, on this machine.
#  1. the contract's window policy applied to an example change schedule;
#  2. a simulated Junos network (tether-devsim, 20 devices on loopback; one runs an
#     End-of-Support release, one reports a serial the inventory does not register);
#  3. the vendor's console with a fresh demo CA, and the site's agent (tether-agent);
#  4. the site admin registers a change window; at its start the agent dials out;
#  5. the vendor engineer runs facts, config and alarms from the console;
#  6. per device: identity, scope and alarms, and what left the network (redacted);
#  7. the admin ends the session, and the security team verifies the audit log.
# Everything it starts is stopped by PID when it ends.
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
here=$(dirname "$(readlink -f "$0")")
work=$(mktemp -d /tmp/tether-demo-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${TETHER_DEMO_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# wait_for, start_console, write_agent_yaml, start_agent
source "$here/site_setup.sh"
started=$(date +%s)
site=ams-demo

step "1. Is this change schedule allowed by the contract? (tetherctl window check)"
"$bin/tetherctl" window check --policy "$here/agent.yaml" --windows "$here/windows.yaml" \
  --at 2026-12-15T11:30 || true

step "2. A simulated network: 20 Junos devices on loopback (tether-devsim)"
"$bin/tether-devsim" --devices 20 --state-dir "$work/site" --eos dev005 --unregistered dev012 \
  > "$work/devsim.log" 2>&1 &
pids+=($!)
wait_for "$work/devsim.log" '^listening:' tether-devsim
grep '^listening:' "$work/devsim.log"

step "3. The vendor's console (fresh demo CA) and the site's agent"
start_console "$site"
echo "console: agents dial 127.0.0.1:$port (TLS 1.3, mutual); engineers use $work/console/console.sock"
demo_policy=$(cat <<'YAML'
# The demo agent. DEMO POLICY: service hours widened to all day, every day, and no notice
# or spacing required, so that the demo runs at any hour. The contract's defaults are
# 09:00-17:00 on weekdays, 14 days' notice, 24 h between windows (docs/policy.md).
policy:
  timezone: Europe/Amsterdam
  service_hours: {start: "00:00", end: "24:00"}
  service_days: [mon, tue, wed, thu, fri, sat, sun]
  min_notice: 0s
  min_window_spacing: 0s
  allow_unsynchronized_clock: true
YAML
)
write_agent_yaml "$site" "$demo_policy" 'audit:
  checkpoint_every: 50   # a signed checkpoint every 50 records, anchored at the console'
echo "agent configuration: $work/agent.yaml"
sed -n '/^# The demo agent/,/^# 09:00/p' "$work/agent.yaml"
start_agent
ctl() { "$bin/tetherctl" "$@" --config "$work/agent.yaml"; }
eng() { "$bin/tether-console" "$@" --data-dir "$work/console"; }
ctl status | sed -n '1,3p'  # reads to the end: no SIGPIPE under pipefail

step "4. The site admin registers a change window; the agent dials out at its start"
start=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
ctl window add --change DEMO-1 --start "$start" --duration 30m
connected=
for _ in $(seq 1 300); do  # bounded to 30 s: the agent connects within 5 s of the start
  if eng agents --json | grep -q "\"$site\""; then connected=yes; break; fi
  sleep 0.1
done
[ -n "$connected" ] || { echo "the agent did not connect; its log:" >&2; cat "$work/agent.log" >&2; exit 1; }
eng agents

step "5. The vendor engineer runs facts, config and alarms (tether-console run --follow)"
for collector in facts config alarms; do
  echo "\$ tether-console run $site $collector --follow"
  eng run "$site" "$collector" --follow | tail -1
done
echo "\$ tether-console run $site reboot --devices dev001 --follow   (not a catalog collector)"
eng run "$site" reboot --devices dev001 --follow | grep -m1 denied || true

step "6. The site's devices as the engineer sees them (tether-console devices)"
eng devices "$site"
config_id=$(eng results "$site" | awk '$3 == "dev001" && $4 == "config" && !found {print $1; found = 1}')
echo
echo "What left the network for dev001's configuration (result $config_id), secrets redacted:"
eng show "$config_id" | grep '<redacted:' | awk '!seen[$1 $2]++' | sed -n '1,5p'
echo "..."

step "7. The admin ends the session; the security team checks the audit trail"
ctl status | sed -n '1,6p'
ctl kill --reason "demo over"
eng anchors "$site" --json > "$work/anchors.jsonl"
"$bin/tetherctl" audit verify --config "$work/agent.yaml" --anchors "$work/anchors.jsonl"
echo
echo "results at the console:      $work/console/results (index: $work/console/index.sqlite)"
echo "transcripts at the agent:    $work/agent-state/transcripts (tetherctl session list)"
echo "audit log at the agent:      $work/agent-state/audit.log (tetherctl audit show)"
ctl session list | tail -4
echo
echo "demo done in $(( $(date +%s) - started )) s; stopping everything it started"
if [ -n "${TETHER_DEMO_KEEP:-}" ]; then echo "(kept: $work)"; fi
