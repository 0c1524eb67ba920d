#!/usr/bin/env bash
# Starts one controller node in the foreground: a runnable node for the jobs that mostly wait on others (the
# pipeline type, your own controllers), in a pool of their own with many slots, so that they never take the
# slots of the worker pools. Create such jobs with "pool": "controllers"; their children go to their own pools.
# Usage: deploy/controller-node.sh [name] [http-port]
# Defaults (the environment wins; deploy/node.sh lists the other settings):
#   ORCHESTR_NODE_POOLS [controllers]   ORCHESTR_NODE_SLOTS [200]   ORCHESTR_HTTP_PORT [8090]
#   ORCHESTR_NODE_MANAGER_URL [http://localhost:8080]  the manager, which controllers create and watch jobs through
#   ORCHESTR_TOKEN []  their bearer token for it (operator role)
set -euo pipefail
export ORCHESTR_NODE_MANAGER_URL="${ORCHESTR_NODE_MANAGER_URL:-http://localhost:8080}"
exec "$(dirname "${BASH_SOURCE[0]}")/node.sh" "${1:-${ORCHESTR_NODE_NAME:-controller-$(hostname)}}" \
    "${ORCHESTR_NODE_SLOTS:-200}" "${ORCHESTR_NODE_POOLS:-controllers}" "${2:-${ORCHESTR_HTTP_PORT:-8090}}"
