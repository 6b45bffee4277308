#!/usr/bin/env bash
# The tether demo (./run demo). For now: the contract's window policy applied to an
# example change schedule. Later issues grow this into a whole diagnostic session.
set -euo pipefail
bin=${1:-build/bin}
here=$(dirname "$(readlink -f "$0")")

echo "== tether demo: checking a change schedule against the site's contract policy"
echo "   policy:  $here/agent.yaml"
echo "   windows: $here/windows.yaml"
echo
status=0
"$bin/tetherctl" window check --policy "$here/agent.yaml" --windows "$here/windows.yaml" \
  --at 2026-12-15T11:30 || status=$?
echo
echo "== the same verdict as JSON, the form the console and scripts read"
"$bin/tetherctl" window check --policy "$here/agent.yaml" --windows "$here/windows.yaml" \
  --at 2026-12-15T11:30 --json | head -20
echo "   ..."
echo
echo "exit status $status: 0 all windows valid, 1 some window invalid, 2 malformed input"
[ "$status" -le 1 ]
