#!/usr/bin/env bash
# Port publishing's rule changes: libnftables in-process (NatTable) against the nft tool, side by side in one
# run (main: NatRulesBenchmark; optional argument: runs, default 200). Runs in a network namespace of its own,
# so the host's ruleset is never touched. Needs root, unshare, nft.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ $(id -u) == 0 ]] || { echo "nat-rules.sh: must run as root (network namespaces, nftables)" >&2; exit 1; }
for tool in unshare nft; do
  command -v "$tool" >/dev/null || { echo "nat-rules.sh: $tool is required" >&2; exit 1; }
done
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
unshare --net -- "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$here/benchmarks/target/benchmarks.jar" \
  dev.jcontainers.benchmarks.NatRulesBenchmark "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
