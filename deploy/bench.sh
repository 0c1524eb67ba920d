#!/usr/bin/env bash
# Runs the benchmarks (bench/README.md): sets up the local RabbitMQ and MariaDB, builds Orchestr when a jar is
# missing or a source changed since the last build made here, then runs one scenario, or all of them.
# Usage: deploy/bench.sh [scenario] [options]     e.g. deploy/bench.sh failover --jobs 20 --reps 5
#        deploy/bench.sh --help                   lists the scenarios; deploy/bench.sh <scenario> --help its options
# Tables go to stdout, progress to stderr, JSON to bench/results/. Extra JVM options for the bench itself:
# ORCHESTR_BENCH_JAVA_OPTS; for the managers and nodes it starts: ORCHESTR_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/local-services.sh" >&2
source "$here/lib/env.sh"
cd "$orchestr_root"

jars=(manager/target/quarkus-app/quarkus-run.jar server-node/app/target/quarkus-app/quarkus-run.jar
      bench/target/orchestr-bench.jar)
stamp=bench/target/bench-build.stamp
needs_build() {
    [ -f "$stamp" ] || return 0
    for jar in "${jars[@]}"; do
        [ -f "$jar" ] || return 0
    done
    [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}
if needs_build; then
    echo "Building Orchestr" >&2
    # stamped before building, so that a source edited during the build makes the next run build again
    mkdir -p bench/target
    touch "$stamp.new"
    ./mvnw -B -q -DskipTests install >&2
    mv "$stamp.new" "$stamp"
fi

case "${1:-}" in
    "" | -[!h-]* | --[!h]*) set -- all "$@" ;;
esac
# exec: the bench JVM gets Ctrl-C itself, and its shutdown hooks stop every process it started
exec "$JAVA_HOME/bin/java" ${ORCHESTR_BENCH_JAVA_OPTS:-} -jar bench/target/orchestr-bench.jar "$@"
