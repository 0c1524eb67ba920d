#!/usr/bin/env bash
# The long form of the chaos run (e2e ChaosTest): 200 jobs on 3 nodes while nodes are killed and restarted at
# random, the broker restarted once and the manager once; prints a table of every fault and its recovery.
# Usage: deploy/chaos.sh [duration, ISO-8601, default PT30M] [seed, to replay a run]
# The report also lands in e2e/target/e2e-logs/chaos-report.md. CI runs the short form (PT90S).
set -euo pipefail
duration="${1:-PT30M}"
seed="${2:-}"
exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" -pl e2e -am -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dorchestr.chaos.duration="$duration" ${seed:+-Dorchestr.chaos.seed="$seed"}
