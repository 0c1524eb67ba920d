#!/usr/bin/env bash
# Starts a working Orchestr on this machine: the local RabbitMQ and MariaDB (set up when needed), one
# manager on :8080, two demo nodes (node-1 and node-2, 10 slots each, health on :8081 and :8082; they run the demo
# types and exec jobs, whose commands run in .run/exec) and a controller node for pipelines (controller-1, pool
# controllers, 200 slots, health on :8090).
# Stays in the foreground; Ctrl-C stops the manager and the nodes (the nodes hand their jobs back first).
# Logs go to .run/*.log. On the first start it makes an admin token, prints it once and keeps it in
# .run/admin.token (mode 600; its hash in .run/tokens, the manager's ORCHESTR_API_TOKENS_FILE) for curl and the CLI:
#   export ORCHESTR_TOKEN="$(cat .run/admin.token)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/local-services.sh"
source "$here/lib/env.sh"
cd "$orchestr_root"
echo "Building Orchestr"
./mvnw -B -q -DskipTests install
mkdir -p .run
# access control: an admin token, made once; the manager reads its hash, the controllers send it
token_file=.run/admin.token
new_token=false
if [ ! -s "$token_file" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token_file")
    new_token=true
fi
chmod 600 "$token_file"
if [ -z "${ORCHESTR_API_TOKENS_FILE:-}" ]; then
    (umask 077; printf 'admin:%s\n' "$(tr -d '\n' < "$token_file" | sha256sum | cut -d' ' -f1)" > .run/tokens)
    export ORCHESTR_API_TOKENS_FILE="$orchestr_root/.run/tokens"
fi
export ORCHESTR_TOKEN="${ORCHESTR_TOKEN:-$(cat "$token_file")}"
# the two nodes serve the demo types (ticker, finite, failing, hang), which run only when asked for
export ORCHESTR_NODE_DEMO="${ORCHESTR_NODE_DEMO:-true}"
# and write their files (file=<name> in a job's argument) only in this folder
export ORCHESTR_NODE_DEMO_DIR="${ORCHESTR_NODE_DEMO_DIR:-$orchestr_root/.run/demo}"
mkdir -p "$ORCHESTR_NODE_DEMO_DIR"
# the two nodes also run commands (exec jobs: ORCHESTR_NODE_EXEC=true, not the controller), in this folder, each
# with a clean environment; the manager listens on 127.0.0.1 only, since whoever reaches its API can run them
exec_dir="${ORCHESTR_NODE_EXEC_DIR:-$orchestr_root/.run/exec}"
mkdir -p "$exec_dir"
# controllers (the pipeline type) create and watch jobs through the manager
export ORCHESTR_NODE_MANAGER_URL="${ORCHESTR_NODE_MANAGER_URL:-http://localhost:8080}"
pids=()
stop_all() {
    trap - INT TERM EXIT
    echo "Stopping Orchestr"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait
}
trap stop_all INT TERM EXIT

ORCHESTR_HTTP_PORT=8080 "$here/manager.sh" > .run/manager.log 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
    curl -sf http://localhost:8080/q/health/ready >/dev/null 2>&1 && break
    sleep 1
done
curl -sf http://localhost:8080/q/health/ready >/dev/null || { echo "The manager did not start, see .run/manager.log" >&2; exit 1; }
ORCHESTR_NODE_EXEC=true ORCHESTR_NODE_EXEC_DIR="$exec_dir" "$here/node.sh" node-1 10 default 8081 \
    > .run/node-1.log 2>&1 &
pids+=($!)
ORCHESTR_NODE_EXEC=true ORCHESTR_NODE_EXEC_DIR="$exec_dir" "$here/node.sh" node-2 10 default 8082 \
    > .run/node-2.log 2>&1 &
pids+=($!)
"$here/controller-node.sh" controller-1 8090 > .run/controller-1.log 2>&1 &
pids+=($!)
for port in 8081 8082 8090; do
    for _ in $(seq 1 60); do
        curl -sf "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
        sleep 1
    done
done
if [ "$new_token" = true ]; then
    cat <<TOKEN
The admin token of this Orchestr, shown once (kept in $orchestr_root/$token_file, mode 600):
  $(cat "$token_file")
TOKEN
fi
cat <<INFO
Orchestr is running. Every API call needs the token: export ORCHESTR_TOKEN="\$(cat $token_file)"
  API:      http://localhost:8080/api/jobs   (OpenAPI: http://localhost:8080/q/openapi)
  servers:  curl -H "Authorization: Bearer \$ORCHESTR_TOKEN" http://localhost:8080/api/servers
  a job:    curl -H "Authorization: Bearer \$ORCHESTR_TOKEN" -X POST -H 'Content-Type: application/json' -d '{"name":"my-job","argument":"file=my-job.log"}' http://localhost:8080/api/jobs
  its file: tail -f $ORCHESTR_NODE_DEMO_DIR/my-job.log   (demo files stay in ORCHESTR_NODE_DEMO_DIR)
  pipeline: curl -H "Authorization: Bearer \$ORCHESTR_TOKEN" -X POST -H 'Content-Type: application/json' -d '{"name":"my-pipeline","type":"pipeline","pool":"controllers","params":{"stages":[[{"type":"finite"},{"type":"finite"}],[{"type":"finite"}]]}}' http://localhost:8080/api/jobs
  command:  curl -H "Authorization: Bearer \$ORCHESTR_TOKEN" -X POST -H 'Content-Type: application/json' -d '{"name":"my-command","type":"exec","params":{"command":"echo hello from \$ORCHESTR_NODE_NAME; ls"}}' http://localhost:8080/api/jobs
  output:   curl -H "Authorization: Bearer \$ORCHESTR_TOKEN" "http://localhost:8080/api/jobs/\$ID/output?follow=true"   (commands run in $exec_dir)
  CLI:      deploy/orchestr jobs list   (reads ORCHESTR_TOKEN)
  logs:     .run/manager.log .run/node-1.log .run/node-2.log .run/controller-1.log
Press Ctrl-C to stop.
INFO
wait
