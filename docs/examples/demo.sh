#!/usr/bin/env bash
# The tether demo (./run demo): what works today, end to end on this machine.
#  1. the contract's window policy applied to an example change schedule;
#  2. a simulated Junos network (tether-devsim, 20 devices on loopback; one runs an
#     End-of-Support release, one reports a serial the inventory does not register);
#  3. the admin's checks: SSH host keys pinned, logins work, every device answers;
#  4. the facts collector: identity and scope of every device (seed §2 and §7);
#  5. what would leave the network: a device configuration with its secrets redacted.
# Later issues add the tunnel to the vendor's console and the agent daemon.
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
here=$(dirname "$(readlink -f "$0")")
work=$(mktemp -d /tmp/tether-demo-XXXXXX)
devsim_pid=
cleanup() {
  [ -n "$devsim_pid" ] && kill "$devsim_pid" 2>/dev/null && wait "$devsim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Is this change schedule allowed by the contract? (tetherctl window check)"
"$bin/tetherctl" window check --policy "$here/agent.yaml" --windows "$here/windows.yaml" \
  --at 2026-12-15T11:30 || true

step "2. A simulated network: 20 Junos devices on loopback (tether-devsim)"
"$bin/tether-devsim" --devices 20 --state-dir "$work/site" --eos dev005 --unregistered dev012 \
  > "$work/devsim.log" 2>&1 &
devsim_pid=$!
for _ in $(seq 1 300); do  # readiness: devsim prints "listening:" (bounded to 30 s)
  grep -q '^listening:' "$work/devsim.log" && break
  kill -0 "$devsim_pid" 2>/dev/null || { cat "$work/devsim.log"; exit 1; }
  sleep 0.1
done
grep '^listening:' "$work/devsim.log"
config="$work/site/agent.yaml"
echo "agent configuration: $config (inventory, credentials and pinned host keys beside it)"

step "3. Can the agent reach every device safely? (tetherctl inventory check)"
"$bin/tetherctl" inventory check --config "$config" | tail -6
echo "..."

step "4. Who is who, and what is in scope? (tetherctl collect --collector facts)"
"$bin/tetherctl" collect --config "$config" --device all --collector facts --out "$work/out" \
  | sed -n '/^DEVICE  HOSTNAME/,$p'

step "5. What would leave the network: dev001's configuration, secrets redacted (tetherctl redact)"
"$bin/tetherctl" collect --config "$config" --device dev001 \
  --command "show configuration | display set" --out "$work/out" > /dev/null
raw="$work/out/dev001/01-show-configuration-display-set.txt"
"$bin/tetherctl" redact --config "$config" "$raw" > "$work/redacted.txt"
echo "$(wc -l < "$raw") lines collected; $(grep -c '<redacted:' "$work/redacted.txt") lines carry redacted secrets, for example:"
grep '<redacted:' "$work/redacted.txt" | awk '!seen[$2 $3]++' | head -8
changed=$(diff "$raw" "$work/redacted.txt" | grep -c '^>' || true)
tokens=$(grep -c '<redacted:' "$work/redacted.txt" || true)
echo
echo "diff against the raw output: $changed lines differ, and $tokens lines carry a token"
[ "$changed" = "$tokens" ] && echo "(only the lines that carry a secret changed)"
