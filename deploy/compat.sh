#!/usr/bin/env bash
# Rolling upgrade, both ways: runs end-to-end tests (failover on SIGKILL and SIGTERM, cancel) with the manager of
# an older build and the nodes of this checkout, then with this checkout's manager and the older build's nodes.
# Usage: deploy/compat.sh [git ref of the older build, default 053f652: the last build before claim ids and
#        batches, wire protocol 1]
# The older build is checked out and packaged under .run/compat-<ref>/ (kept for the next run).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib/env.sh"
ref="${1:-053f652}"
old="$orchestr_root/.run/compat-$ref"
tests="NodeSigkillFailoverTest,NodeSigtermHandbackTest,CancelTest"
cd "$orchestr_root"
if [ ! -d "$old" ]; then
    mkdir -p "$orchestr_root/.run"
    git worktree add --detach "$old" "$ref"
fi
echo "Packaging the older build ($ref) in $old"
(cd "$old" && ./mvnw -B -q -DskipTests package)
echo "Packaging this checkout"
./mvnw -B -q -DskipTests package
echo "== manager of $ref, nodes of this checkout"
# the older manager names no sender (user-id), which these nodes refuse unless told to trust every sender
ORCHESTR_MANAGER_BROKER_USERS='*' bash "$here/test.sh" -pl e2e -am -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dorchestr.manager-root="$old"
echo "== manager of this checkout, nodes of $ref"
bash "$here/test.sh" -pl e2e -am -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dorchestr.node-root="$old"
echo "Both directions passed"
