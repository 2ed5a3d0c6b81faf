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

# A second cold contender: bin/jc's JVM flags plus a JDK 25 AOT cache (JEP 483/514/515: classes loaded and
# linked, method profiles) that the first, untimed run of this launcher records; timed runs then use it.
aot_cache="$here/benchmarks/target/jc.aot"
rm -f "$aot_cache" # the jar was just rebuilt: an old cache would not match it
variant="$here/benchmarks/target/jc-aot"
cat > "$variant" <<LAUNCHER
#!/usr/bin/env bash
if [[ -f "$aot_cache" ]]; then aot=-XX:AOTCache="$aot_cache"; else aot=-XX:AOTCacheOutput="$aot_cache"; fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \\
  -Djdk.httpclient.bufsize=262144 "\$aot" -jar "$here/container-cli/target/jc.jar" "\$@"
LAUNCHER
chmod +x "$variant"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "$here/benchmarks/target/benchmarks.jar" dev.jcontainers.benchmarks.PullBenchmark \
  --jc "$here/bin/jc" --jc-variant "$variant" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
