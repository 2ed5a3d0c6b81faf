#!/usr/bin/env bash
# Push of a >= 100 MB multi-layer image to an empty repository of a freshly started local registry:
# jcontainers (warm JVM, Images.push from its store) against `skopeo copy oci:... docker://...`, same run,
# alternating. Extra arguments go to PushBenchmark (e.g. --runs 7 --out /tmp/push.md); see its Javadoc.
# BENCH_JAVA_OPTS adds flags to the benchmark JVM.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "push.sh: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.PushBenchmark "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
