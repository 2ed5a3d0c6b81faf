#!/usr/bin/env bash
# Container start-to-exit through the API (warm JVM) against `runc run`, a cold JVM start path (the `jc run --rm`
# equivalent, with and without AppCDS) against `podman run --rm`, containers per second, and monitor RSS / JVM heap
# per running container; all side by side in one run (main: RunBenchmark, see its Javadoc for the options, e.g.
# --runs 50 --cold-runs 20 --dir /dev/shm --out /tmp/run.md). The cold section also times the real `bin/jc run --rm`.
# Needs root, runc, skopeo, docker-registry; podman unless --no-podman.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ $(id -u) == 0 ]] || { echo "run.sh: must run as root (namespaces, cgroups, overlay mounts)" >&2; exit 1; }
for tool in runc skopeo docker-registry; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
args=("$@")
if ! command -v podman >/dev/null; then
  echo "run.sh: podman not found, skipping the podman contender (apt-get install podman)" >&2
  args+=(--no-podman)
fi
(cd "$here" && mvn -B -q -pl benchmarks,container-cli -am package -DskipTests)

# The cold contender loads what `jc run` would: the CLI's shaded jar plus the thin benchmarks jar holding RunOnce.
cli_cp="$here/container-cli/target/jc.jar:$here/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.RunBenchmark \
  --cli-classpath "$cli_cp" --jc "$here/bin/jc" "${args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
