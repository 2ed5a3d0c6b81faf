#!/usr/bin/env bash
# Pull of a >= 100 MB multi-layer image from a local registry: jcontainers (warm JVM and cold `bin/jc pull`)
# against `skopeo copy docker://... oci:...`, same registry, same run. Extra arguments go to PullBenchmark
# (e.g. --runs 7 --disk tmpfs --out /tmp/pull.md); see its Javadoc.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "pull.sh: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
# Both jars fresh: the benchmark (with core and testkit shaded in) and the CLI that bin/jc runs.
(cd "$here" && mvn -B -q -pl benchmarks,container-cli -am package -DskipTests)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.PullBenchmark \
  --jc "$here/bin/jc" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
