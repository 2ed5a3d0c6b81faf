#!/usr/bin/env bash
# SHA-256 streaming digest throughput: our hashing path (JMH) against sha256sum on the same 256 MiB file.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
file="$(mktemp /tmp/jc-digest.XXXXXX)"
trap 'rm -f "$file"' EXIT
head -c $((256 * 1024 * 1024)) /dev/urandom > "$file"
"$JAVA_HOME/bin/java" -jar "$here/benchmarks/target/benchmarks.jar" DigestBenchmark \
  -jvmArgsAppend "-Djc.bench.file=$file" -rf text -rff /tmp/jc-digest-jmh.txt >/dev/null
cat /tmp/jc-digest-jmh.txt
hyperfine -N -w 1 -r 5 "sha256sum $file" --export-json /tmp/jc-digest-sha256sum.json | grep -E 'Time|Range'
