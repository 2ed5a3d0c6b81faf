#!/usr/bin/env bash
# The network setup time a bridge adds to a container's run, jc against podman in one run:
# `run --rm --network NET IMAGE /bin/true` minus the same with `--network none`, the four contenders (podman none,
# podman bridge, jc none, jc bridge) rotating their order every round, each a fresh CLI process, timed whole.
#
# Isolation: netavark switches net.ipv4.ip_forward on when it sets up a bridge (also for an --internal network), and
# adds firewall rules. So everything runs inside a network namespace made for the run (`unshare --net`, where
# ip_forward and the firewall tables are the namespace's own) and a private mount namespace (podman's overlay and
# netns mounts vanish with it); podman's store, run state, network configs and containers.conf are temp dirs; its
# networks and ours use 10.213.252.0/24 to 10.213.254.0/24, which no real network here uses; the image is imported
# from a busybox directory, so nothing is pulled. The host's ip_forward, nftables ruleset, iptables rules and links
# are compared before and after; podman's libpod_parent cgroups and SHM lock are removed if this run made them.
#
# Usage: benchmarks/network-podman.sh [ROUNDS] (default 40). Needs root, podman with netavark, runc, busybox.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-40}"

if [[ "${JCB_INSIDE:-}" != 1 ]]; then
  [[ $(id -u) == 0 ]] || { echo "network-podman.sh: must run as root" >&2; exit 1; }
  for tool in podman unshare nft iptables-save /usr/lib/podman/netavark busybox; do
    command -v "$tool" >/dev/null || { echo "network-podman.sh: $tool is required" >&2; exit 1; }
  done
  host_state() {
    echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
    echo "nft=$(nft list ruleset | sha256sum | cut -c1-16)"
    echo "iptables=$(iptables-save 2>/dev/null | grep -v '^#' | sha256sum | cut -c1-16)"
    echo "podman-links=$(ip -o link show | grep -cE "podman|cni|netavark")"
  }
  before="$(host_state)"
  cgroups_before="$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null || true)"
  lock_existed=$([[ -e /dev/shm/libpod_lock ]] && echo 1 || echo 0)
  work="$(mktemp -d /var/tmp/jcb-netpodman.XXXXXX)"
  run="$(mktemp -d /run/jcbnp.XXXXXX)" # podman refuses a runroot longer than 50 characters
  cleanup() {
    rm -rf "$work" "$run"
    for d in /sys/fs/cgroup/*/libpod_parent; do
      [[ -d "$d" ]] && ! grep -qxF "$d" <<<"$cgroups_before" || continue
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || echo "network-podman.sh: $d not empty, left" >&2
    done
    [[ $lock_existed == 1 ]] || rm -f /dev/shm/libpod_lock
    after="$(host_state)"
    if [[ "$before" == "$after" ]]; then
      echo "host unchanged: $(tr '\n' ' ' <<<"$after")"
    else
      echo "network-podman.sh: THE HOST CHANGED: before: $before; after: $after" >&2
    fi
  }
  trap cleanup EXIT
  mkdir -p "$work/rootfs/bin"
  cp "$(command -v busybox)" "$work/rootfs/bin/"
  for a in sh true; do ln -sf busybox "$work/rootfs/bin/$a"; done
  JCB_INSIDE=1 JCB_WORK="$work" JCB_RUN="$run" unshare --net --mount --propagation private -- "$0" "$rounds"
  exit
fi

# ---- inside the private network and mount namespaces ----
work="$JCB_WORK"
ip link set lo up
cat >"$work/containers.conf" <<EOF
[network]
network_backend = "netavark"
network_config_dir = "$work/podman-net"
default_subnet = "10.213.252.0/24"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"
podman=(podman --root "$work/podman" --runroot "$JCB_RUN/run" --tmpdir "$JCB_RUN/tmp" --storage-driver overlay
  --network-config-dir "$work/podman-net")
jc=("$here/bin/jc" --root "$work/jc")
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
"${podman[@]}" import -q "$work/rootfs.tar" localhost/jcb-bb:1 >/dev/null
"${podman[@]}" network create --internal --subnet 10.213.253.0/24 jcb-net >/dev/null
"${jc[@]}" image build-from-dir --from=scratch -t jcb-bb:1 --cmd=/bin/true "$work/rootfs" >/dev/null
"${jc[@]}" network create --internal --subnet 10.213.254.0/24 jcb-net >/dev/null
# podman's default RLIMIT_NOFILE/NPROC exceed this sandbox's hard limits (benchmarks/RESULTS.md section 4)
p_run=("${podman[@]}" run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
JC_AOT_WAIT=1 "${jc[@]}" run --rm --network none jcb-bb:1 /bin/true # bin/jc records its AOT cache here

declare -A times
contenders=("podman none" "podman bridge" "jc none" "jc bridge")
run_one() {
  case "$1" in
    "podman none") "${p_run[@]}" --network none localhost/jcb-bb:1 /bin/true ;;
    "podman bridge") "${p_run[@]}" --network jcb-net localhost/jcb-bb:1 /bin/true ;;
    "jc none") "${jc[@]}" run --rm --network none jcb-bb:1 /bin/true ;;
    "jc bridge") "${jc[@]}" run --rm --network jcb-net jcb-bb:1 /bin/true ;;
  esac
}
echo "load before: $(cat /proc/loadavg)"
for ((r = -2; r < rounds; r++)); do # two warm-up rounds
  for ((k = 0; k < 4; k++)); do
    c="${contenders[$(((r + 2 + k) % 4))]}"
    t0=$EPOCHREALTIME
    run_one "$c" >/dev/null
    t1=$EPOCHREALTIME
    ((r < 0)) || times[$c]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f ", (b - a) * 1000 }')"
  done
done
echo "load after: $(cat /proc/loadavg)"
"${podman[@]}" network rm -f jcb-net >/dev/null
"${jc[@]}" network rm jcb-net >/dev/null
pid_file="$JCB_RUN/run/networks/aardvark-dns/aardvark.pid" # aardvark-dns exits with its last container; if not:
[[ -f "$pid_file" ]] && kill "$(cat "$pid_file")" 2>/dev/null || true
"${podman[@]}" system reset -f >/dev/null 2>&1 || true

stats() { # median and p99 (nearest rank) of the numbers on stdin
  sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    r = int(0.99 * NR); if (r < 0.99 * NR) r++; printf "%8.1f %8.1f", m, v[r] }'
}
paired() { # per round: $1's time minus $2's
  paste <(tr ' ' '\n' <<<"${times[$1]}" | grep .) <(tr ' ' '\n' <<<"${times[$2]}" | grep .) | awk '{ print $1 - $2 }'
}
printf '\n## run --rm /bin/true, %d rounds, ms (whole CLI process)\n' "$rounds"
printf '%-28s %8s %8s\n' contender median p99
for c in "${contenders[@]}"; do
  printf '%-28s %s\n' "$c" "$(tr ' ' '\n' <<<"${times[$c]}" | grep . | stats)"
done
printf '%-28s %s\n' "podman: bridge - none" "$(paired "podman bridge" "podman none" | stats)"
printf '%-28s %s\n' "jc: bridge - none" "$(paired "jc bridge" "jc none" | stats)"
