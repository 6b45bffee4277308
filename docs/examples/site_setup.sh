# Shared by demo.sh and the whole-program benchmarks (bench/*_bench.sh); source it.
# It uses the caller's $bin (tether binaries), $work (a scratch folder) and $pids (what to
# stop on exit), and a tether-devsim state folder in $work/site.

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

# start_console SITE: a fresh CA in $work/ca with certificates for the console (127.0.0.1)
# and SITE, and tether-console serve on an ephemeral port; sets $port.
start_console() {
  "$bin/tether-console" ca init --dir "$work/ca" > /dev/null
  "$bin/tether-console" ca issue --dir "$work/ca" --console 127.0.0.1 > /dev/null
  "$bin/tether-console" ca issue --dir "$work/ca" --site "$1" > /dev/null
  "$bin/tether-console" serve --listen 127.0.0.1:0 --cert "$work/ca/console-127.0.0.1.crt" \
    --key "$work/ca/console-127.0.0.1.key" --ca "$work/ca/ca.crt" --data-dir "$work/console" \
    > "$work/console.log" 2>&1 &
  pids+=($!)
  wait_for "$work/console.log" '^engineer socket' tether-console
  port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/console.log")
}

# write_agent_yaml SITE POLICY [EXTRA]: $work/agent.yaml for SITE with the `policy:` lines
# POLICY, dialling the console of start_console, over the devsim site in $work/site; EXTRA
# is appended.
write_agent_yaml() {
  cat > "$work/agent.yaml" <<YAML
site: $1
$2
console:
  endpoint: "127.0.0.1:$port"
  server_name: 127.0.0.1
  ca: "$work/ca/ca.crt"
  cert: "$work/ca/site-$1.crt"
  key: "$work/ca/site-$1.key"
paths:
  state_dir: "$work/agent-state"
  inventory: "$work/site/inventory.yaml"
  credentials: "$work/site/credentials.yaml"
  known_hosts: "$work/site/known_hosts"
control:
  socket: "$work/agent.sock"
  group: $(id -gn)
${3:-}
YAML
}

# start_agent: tether-agent on $work/agent.yaml, once it is ready.
start_agent() {
  "$bin/tether-agent" --config "$work/agent.yaml" > "$work/agent.log" 2>&1 &
  pids+=($!)
  wait_for "$work/agent.log" 'tether-agent ready' tether-agent
}
