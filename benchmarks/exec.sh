#!/usr/bin/env bash
# `exec /bin/true` in a running container through the API (warm JVM) against `runc exec` in an equivalent runc
# container, and the engine's CPU time per health probe against an idle baseline; side by side in one run
# (main: ExecBenchmark, options e.g. --runs 300 --window 10 --rounds 3 --dir /dev/shm --out /tmp/exec.md).
# Needs root, runc, skopeo, docker-registry.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ $(id -u) == 0 ]] || { echo "exec.sh: must run as root (namespaces, cgroups, overlay mounts)" >&2; exit 1; }
for tool in runc skopeo docker-registry; do
  command -v "$tool" >/dev/null || { echo "exec.sh: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.ExecBenchmark "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
