#!/usr/bin/env bash
# Fleet benchmark (issue 3): show version, show chassis hardware and
# show configuration | display set from N tether-devsim devices at concurrency C,
# by tether (tetherctl collect) and, in the same run, by the OpenSSH client
# (one connection per device running the three commands, xargs -P C, key auth,
# pinned known_hosts). Prints wall time, CPU seconds per device, peak RSS, the
# ratio, and the handshake-cryptography floor from `openssl speed`.
#   bench/fleet_bench.sh [BIN_DIR] [DEVICES] [CONCURRENCY]
set -euo pipefail
bin=$(readlink -f "${1:-build/bin}")
devices=${2:-1000}
concurrency=${3:-64}
work=$(mktemp -d /tmp/tether-fleet-bench-XXXXXX)
trap 'kill "$devsim_pid" 2>/dev/null; wait "$devsim_pid" 2>/dev/null; rm -rf "$work"' EXIT

"$bin/tether-devsim" --devices "$devices" --state-dir "$work/devsim" > "$work/devsim.log" 2>&1 &
devsim_pid=$!
for _ in $(seq 1 600); do
  grep -q '^listening:' "$work/devsim.log" 2>/dev/null && break
  kill -0 "$devsim_pid" 2>/dev/null || { cat "$work/devsim.log"; exit 1; }
  sleep 0.1  # polling a log line, bounded to 60 s
done
grep -q '^listening:' "$work/devsim.log" || { echo "devsim did not start"; exit 1; }

commands=("show version" "show chassis hardware" "show configuration | display set")

# tether: one process, one io thread, libssh non-blocking.
/usr/bin/time -f '%e %U %S %M' -o "$work/tether.time" \
  "$bin/tetherctl" collect --config "$work/devsim/agent.yaml" --device all \
  --command "${commands[0]}" --command "${commands[1]}" --command "${commands[2]}" \
  --concurrency "$concurrency" --out "$work/tether-out" > "$work/tether.log" || true
tether_ok=$(grep -c ' ok ' "$work/tether.log" || true)

# Baseline: the OpenSSH client, one multiplexed connection per device for three exec channels.
cat > "$work/one-device.sh" <<SH
#!/bin/sh
set -e
port=\$1; out=$work/ssh-out/\$port; mkdir -p \$out
opts="-i $work/devsim/client_ed25519 -o UserKnownHostsFile=$work/devsim/known_hosts \
 -o StrictHostKeyChecking=yes -o BatchMode=yes -o ControlPath=$work/cm-%p -p \$port"
ssh \$opts -o ControlMaster=yes -fN tether@127.0.0.1
ssh \$opts tether@127.0.0.1 'show version' > \$out/1
ssh \$opts tether@127.0.0.1 'show chassis hardware' > \$out/2
ssh \$opts tether@127.0.0.1 'show configuration | display set' > \$out/3
ssh \$opts -O exit tether@127.0.0.1 2>/dev/null
SH
chmod +x "$work/one-device.sh"
grep -o 'port: [0-9]*' "$work/devsim/inventory.yaml" | cut -d' ' -f2 > "$work/ports"
/usr/bin/time -f '%e %U %S %M' -o "$work/ssh.time" \
  sh -c "xargs -P $concurrency -n 1 $work/one-device.sh < $work/ports" > /dev/null 2>&1 || true
ssh_ok=$(find "$work/ssh-out" -type f -size +0 | wc -l)

read -r t_wall t_user t_sys t_rss < "$work/tether.time"
read -r s_wall s_user s_sys s_rss < "$work/ssh.time"
speed=$(openssl speed -seconds 3 ed25519 ecdhx25519 2>/dev/null)
x25519=$(awk '/X25519/ {print $NF}' <<< "$speed")
ed_sign=$(awk '/Ed25519/ {print $(NF-1)}' <<< "$speed")
ed_verify=$(awk '/Ed25519/ {print $NF}' <<< "$speed")

awk -v n="$devices" -v c="$concurrency" -v tw="$t_wall" -v tu="$t_user" -v ts="$t_sys" \
    -v tr="$t_rss" -v sw="$s_wall" -v su="$s_user" -v ss="$s_sys" -v sr="$s_rss" \
    -v tok="$tether_ok" -v sok="$ssh_ok" -v x="$x25519" -v es="$ed_sign" -v ev="$ed_verify" 'BEGIN {
  floor_ms = (2 / x + 1 / es + 1 / ev) * 1000
  tcpu = (tu + ts) / n * 1000
  printf "devices %d, concurrency %d, commands per device 3\n", n, c
  printf "tether:  wall %.2f s, agent CPU %.3f ms/device, peak RSS %.1f MiB, %d/%d outputs ok\n", tw, tcpu, tr / 1024, tok, 3 * n
  printf "openssh: wall %.2f s, client CPU %.3f ms/device, peak RSS (largest process) %.1f MiB, %d/%d outputs\n", sw, (su + ss) / n * 1000, sr / 1024, sok, 3 * n
  printf "speed-up (openssh wall / tether wall): %.2fx\n", sw / tw
  printf "openssl speed: x25519 %.0f op/s, ed25519 sign %.0f/s, verify %.0f/s\n", x, es, ev
  printf "handshake crypto floor (2 x25519 + 1 sign + 1 verify): %.3f ms; tether CPU/device is %.2fx the floor\n", floor_ms, tcpu / floor_ms
}'
