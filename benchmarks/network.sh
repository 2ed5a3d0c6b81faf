#!/usr/bin/env bash
# Container networking side by side in one run (main: NetworkBenchmark, see its Javadoc for the options, e.g.
# --runs 7 --mib 1024 --starts 60 --out /tmp/net.md): TCP throughput container to container over a bridge vs
# host loopback with the same busybox nc, and the network setup time a bridge adds to a container's life vs
# network none. Needs root, skopeo, docker-registry, busybox-static, iproute2 (the plain-netns witness).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ $(id -u) == 0 ]] || { echo "network.sh: must run as root (namespaces, cgroups, bridges)" >&2; exit 1; }
for tool in skopeo docker-registry /usr/bin/busybox; do
  command -v "$tool" >/dev/null || { echo "network.sh: $tool is required" >&2; exit 1; }
done
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
# NAT off: the benchmark's networks are internal, and it must leave no nftables table behind on the host.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -Djcontainers.nat=false \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.NetworkBenchmark "$@"
