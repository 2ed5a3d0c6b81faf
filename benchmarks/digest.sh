#!/usr/bin/env bash
# SHA-256 streaming digest throughput: our hashing path (JMH, DigestBenchmark) against sha256sum on the same
# 256 MiB file (page-cached), plus `openssl dgst -sha256` when installed (it uses the CPU's SHA extensions).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
work="$(mktemp -d /tmp/jc-digest.XXXXXX)"
trap 'rm -rf "$work"' EXIT
file="$work/data.bin"
bytes=$((256 * 1024 * 1024))
head -c "$bytes" /dev/urandom > "$file"
cat "$file" > /dev/null  # into the page cache, so every contender hashes from memory
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -jar "$here/benchmarks/target/benchmarks.jar" DigestBenchmark \
  -jvmArgsAppend "-Djc.bench.file=$file" -rf json -rff "$work/jmh.json" >/dev/null 2>&1
jmh_ms=$(jq '.[0].primaryMetric.scorePercentiles."50.0"' "$work/jmh.json")
printf '%-28s median %8.1f ms  %7.1f MB/s   (runs ms: %s)\n' "JMH DigestBenchmark" "$jmh_ms" \
  "$(echo "$bytes / $jmh_ms / 1000" | bc -l)" "$(jq -c '[.[0].primaryMetric.rawData[][] | floor]' "$work/jmh.json")"
anchors=("sha256sum $file")
command -v openssl >/dev/null && anchors+=("openssl dgst -sha256 $file")
for cmd in "${anchors[@]}"; do
  hyperfine -N -w 1 -r 5 "$cmd" --export-json "$work/h.json" >/dev/null 2>&1
  s=$(jq '.results[0].median' "$work/h.json")
  printf '%-28s median %8.1f ms  %7.1f MB/s   (JMH throughput / this: %.2fx)\n' "${cmd%% $file}" "$(echo "$s * 1000" | bc -l)" \
    "$(echo "$bytes / $s / 1000000" | bc -l)" "$(echo "$s * 1000 / $jmh_ms" | bc -l)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
