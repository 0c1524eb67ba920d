#!/usr/bin/env bash
# Starts one Orchestr server node (the runnable node, server-node/app) in the foreground.
# Usage: deploy/node.sh [name] [slots] [pools] [http-port]
# Arguments win over the environment (defaults in brackets):
#   ORCHESTR_NODE_NAME [host name]  ORCHESTR_NODE_SLOTS [10]  ORCHESTR_NODE_POOLS [default] (comma list)
#   ORCHESTR_HTTP_PORT [8081]       health of the node
#   ORCHESTR_NODE_DEMO [false]      true: serve the demo types (default, ticker, finite, failing, hang)
#   ORCHESTR_NODE_DEMO_DIR [.]      the only folder the demo types write in (file=<path> in a job's argument)
#   ORCHESTR_NODE_EXEC [false]      true: run exec jobs (commands, each with a clean environment)
#   ORCHESTR_NODE_EXEC_DIR [.]      where the commands run; a relative cwd of a command is taken from it
#   ORCHESTR_NODE_SECRETS_DIR []    a file per secret that commands' env may name ({"secret": "<file name>"})
#   ORCHESTR_NODE_ROLES []          comma list of the roles of exec work the node serves (none: every role)
#   ORCHESTR_NODE_TYPES []          comma list of the job types the node runs (none: every type it has a handler for)
#   ORCHESTR_NODE_MANAGER_URL []    the manager (e.g. http://localhost:8080), for controllers such as the pipeline
#   ORCHESTR_TOKEN []               the controllers' bearer token for that manager (operator role; never given to commands)
#                                   type; deploy/controller-node.sh starts a node for them
#   ORCHESTR_RABBITMQ_HOST [127.0.0.1], ORCHESTR_RABBITMQ_PORT [5672], ORCHESTR_RABBITMQ_USER/PASSWORD [guest]
#   ORCHESTR_RABBITMQ_TLS [false]   true: TLS to the broker (set the port to its TLS port, usually 5671)
#   ORCHESTR_RABBITMQ_TLS_TRUST_STORE/_PASSWORD [the JVM's]  PKCS12 file of the CAs that sign the broker's cert
#   ORCHESTR_RABBITMQ_TLS_KEY_STORE/_PASSWORD []  PKCS12 file of the node's own cert and key (mutual TLS)
#   ORCHESTR_RABBITMQ_TLS_VERIFY_HOSTNAME [true]  the broker's cert must name ORCHESTR_RABBITMQ_HOST
#   ORCHESTR_PREFIX [orchestr]      ORCHESTR_JAVA_OPTS  extra JVM options
# Builds the node first when it has not been built.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
[ $# -ge 1 ] && export ORCHESTR_NODE_NAME="$1"
[ $# -ge 2 ] && export ORCHESTR_NODE_SLOTS="$2"
[ $# -ge 3 ] && export ORCHESTR_NODE_POOLS="$3"
[ $# -ge 4 ] && export ORCHESTR_HTTP_PORT="$4"
jar="$orchestr_root/server-node/app/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ]; then
    echo "Building the server node (first run only)"
    (cd "$orchestr_root" && ./mvnw -B -q -DskipTests -pl server-node/app -am install)
fi
# exec: the JVM takes this script's pid, so SIGTERM and SIGKILL sent to it reach the node itself
exec "$JAVA_HOME/bin/java" ${ORCHESTR_JAVA_OPTS:-} -jar "$jar"
