#!/usr/bin/env bash
# Pull of a >= 100 MB multi-layer image from a local registry: jcontainers (warm JVM and cold `bin/jc pull`)
# against `skopeo copy docker://... oci:...`, same registry, same run. Extra arguments go to PullBenchmark
# (e.g. --runs 7 --disk tmpfs --out /tmp/pull.md); see its Javadoc. BENCH_JAVA_OPTS adds flags to the
# benchmark JVM (the warm contender), e.g. BENCH_JAVA_OPTS=-Djdk.httpclient.bufsize=262144.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "pull.sh: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
# Both jars fresh: the benchmark (with core and testkit shaded in) and the CLI that bin/jc runs.
(cd "$here" && mvn -B -q -pl benchmarks,container-cli -am package -DskipTests)

# A second cold contender: the same CLI jar with full tiered JIT (bin/jc stops at C1, where SHA-256 has
# no intrinsic) and 256 KiB HttpClient read buffers (the JDK default is 16 KiB).
tuned="$here/benchmarks/target/jc-tuned"
cat > "$tuned" <<LAUNCHER
#!/usr/bin/env bash
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto \\
  -Djdk.httpclient.bufsize=262144 -jar "$here/container-cli/target/jc.jar" "\$@"
LAUNCHER
chmod +x "$tuned"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.PullBenchmark \
  --jc "$here/bin/jc" --jc-variant "$tuned" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
