#!/usr/bin/env bash
# Layer unpack throughput: our LayerStore against `umoci unpack` and `tar -xzf` of each layer in order, on the
# same TestImages.large image, alternating, N runs, each into a fresh directory; on disk and on tmpfs.
# Usage: benchmarks/unpack.sh [MEGABYTES] [LAYERS] [RUNS]   (as root: umoci and tar restore owners)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mb="${1:-128}" layers="${2:-4}" runs="${3:-5}"
(cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests)
jar="$here/benchmarks/target/benchmarks.jar"
disk="$(mktemp -d /var/tmp/jc-unpack.XXXXXX)"
shm="$(mktemp -d /dev/shm/jc-unpack.XXXXXX)"
trap 'rm -rf "$disk" "$shm"' EXIT
echo "== disk ($disk)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.jcontainers.benchmarks.UnpackBenchmark "$disk" "$mb" "$layers" "$runs" disk
echo "== tmpfs ($shm)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.jcontainers.benchmarks.UnpackBenchmark "$shm" "$mb" "$layers" "$runs" tmpfs
