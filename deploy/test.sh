#!/usr/bin/env bash
# Runs the whole test suite against the local RabbitMQ and MariaDB (set up or started when needed), the dashboard's
# in a headless Chromium (installed when missing).
# Extra arguments go to Maven, e.g. deploy/test.sh -pl manager
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/local-services.sh" --browser
source "$here/lib/env.sh"
export ORCHESTR_TEST_DB_ADMIN_URL="${ORCHESTR_TEST_DB_ADMIN_URL:-jdbc:mysql://$ORCHESTR_DB_HOST:$ORCHESTR_DB_PORT/}"
cd "$orchestr_root"
exec ./mvnw -B verify "$@"
