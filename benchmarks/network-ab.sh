#!/usr/bin/env bash
# Interleaved A/B of the network setup figure (NetworkBenchmark --runs 0): BASE_JAR and NEW_JAR, two builds of
# benchmarks.jar (mvn -o -pl benchmarks -am package), in turn on the same machine. Root, as network.sh.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() { $J --enable-native-access=ALL-UNNAMED -Xmx1g -Djcontainers.nat=false -cp "$1" dev.jcontainers.benchmarks.NetworkBenchmark --runs 0 --starts 100 --warmup 10 2>&1 | grep -E "^added|^network none|^user network"; }
for round in 1 2 3; do
  for side in base new; do
    jar=${BASE_JAR:?the base benchmarks.jar}; [[ $side == new ]] && jar=${NEW_JAR:?the new benchmarks.jar}
    echo "== round $round $side $(date -u +%T)"; run "$jar"
  done
done
