#!/usr/bin/env bash
# Cold `jc run --rm --network none bb:1 /bin/true` of two or more builds of jc.jar, interleaved run by run in a
# rotating order, each with its own AOT cache made as cold-ab.sh makes it. Wall time from `date +%s%N` around the
# JVM (microseconds, where cold-ab.sh's /usr/bin/time has 10 ms steps); prints median, 25th percentile and minimum.
# Usage (as root): benchmarks/cold-abn.sh ROOT RUNS JAR...   (ROOT: an engine root holding bb:1)
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 ROOT RUNS JAR..." >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
root=$1; runs=$2; shift 2; jars=("$@")
w="$(mktemp -d)"
trap 'rm -rf "$w"' EXIT
flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.httpclient.bufsize=262144 -XX:TieredStopAtLevel=1 -Djdk.reflect.useNativeAccessorOnly=true -Xlog:aot=off -Xlog:cds=off)
cmd=(--root "$root" run --rm --network none bb:1 /bin/true)
n=${#jars[@]}
for ((i=0;i<n;i++)); do
  "$java" "${flags[@]}" -XX:AOTMode=record -XX:AOTConfiguration=$w/$i.conf -jar "${jars[$i]}" "${cmd[@]}" >/dev/null
  "$java" "${flags[@]}" -XX:AOTMode=create -XX:AOTConfiguration=$w/$i.conf -XX:AOTCache=$w/$i.aot -jar "${jars[$i]}" >/dev/null
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r=0;r<runs;r++)); do
  for ((k=0;k<n;k++)); do i=$(((r+k)%n))
    s=$(date +%s%N); "$java" "${flags[@]}" -XX:AOTCache=$w/$i.aot -jar "${jars[$i]}" "${cmd[@]}"; e=$(date +%s%N)
    echo $(((e-s)/1000)) >> $w/$i.us
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i=0;i<n;i++)); do sort -n $w/$i.us | awk -v j="${jars[$i]}" '{a[NR]=$1} END{printf "%s: median %.1f ms, p25 %.1f, min %.1f (n=%d)\n", j, a[int((NR+1)/2)]/1000, a[int((NR+3)/4)]/1000, a[1]/1000, NR}'; done
