#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine, next to the default broker (127.0.0.1:5672, left alone), for trying
# Orchestr on a broker cluster with quorum queues (docs/architecture.md, "Production topology"); the e2e test
# BrokerClusterTest and the bench's cluster-leader scenario use it.
#
# Usage: deploy/rabbitmq-cluster.sh start        starts the three nodes and joins them; prints the addresses line
#        deploy/rabbitmq-cluster.sh stop         stops the nodes and removes everything start made
#        deploy/rabbitmq-cluster.sh status       which nodes run, the cluster's view, the addresses line
#        deploy/rabbitmq-cluster.sh kill <n>     SIGKILLs node n (1-3), as a crash would
#        deploy/rabbitmq-cluster.sh start-node <n>  starts node n again on its data (it rejoins the cluster)
#        deploy/rabbitmq-cluster.sh leader <queue>  prints the number (1-3) of the node leading quorum queue <queue>
#
# Node n is orchestr-cluster-<n>@localhost, AMQP on 127.0.0.1:$((base + n)) (base ORCHESTR_CLUSTER_PORT_BASE,
# 5680: ports 5681-5683), Erlang distribution on $((base + 20000 + n)) (25681-25683), its data, logs and config in
# $ORCHESTR_CLUSTER_DIR/node-<n> (/tmp/orchestr-rabbitmq-cluster). Debian's rabbitmq-server runs as the rabbitmq
# user, so this script must run as root, the folder is world-writable, and the nodes share the machine's Erlang
# cookie (/var/lib/rabbitmq/.erlang.cookie) with each other and with rabbitmqctl.
#
# Every node has cluster_partition_handling = pause_minority: a node that sees only a minority of the cluster
# stops serving (closes its clients' connections) until the partition heals. Orchestr's managers decide who owns
# a job from what the broker tells them (an exclusive queue still there means its node still holds its
# deliveries); a minority's view would be stale, and acting on it could hand a job to a second node while the
# first still runs it. With pause_minority, clients of the minority lose their connection and reconnect to the
# majority, where the view is the cluster's.
set -euo pipefail

base="${ORCHESTR_CLUSTER_PORT_BASE:-5680}"
dir="${ORCHESTR_CLUSTER_DIR:-/tmp/orchestr-rabbitmq-cluster}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
ctl=/usr/sbin/rabbitmqctl
nodes=(1 2 3)

node_name() { echo "orchestr-cluster-$1@localhost"; }
node_dir() { echo "$dir/node-$1"; }
amqp_port() { echo $((base + $1)); }

addresses() {
    local list=() n
    for n in "${nodes[@]}"; do list+=("127.0.0.1:$(amqp_port "$n")"); done
    (IFS=,; echo "${list[*]}")
}

ctl_on() { # node number, rabbitmqctl arguments...
    local n="$1"
    shift
    RABBITMQ_CONF_ENV_FILE="$(node_dir "$n")/rabbitmq-env.conf" "$ctl" -q -n "$(node_name "$n")" "$@"
}

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$(amqp_port "$1")") 2>/dev/null; }

running() { # node number: true while its Erlang VM answers
    ctl_on "$1" status >/dev/null 2>&1
}

require_root() {
    if [ "$(id -u)" -ne 0 ] || [ ! -x "$server" ] || [ ! -x "$ctl" ]; then
        echo "deploy/rabbitmq-cluster.sh needs Debian's rabbitmq-server ($server, $ctl; deploy/local-services.sh" \
            "installs it) and root, which it needs to run the nodes as the rabbitmq user" >&2
        exit 1
    fi
}

prepare_node() {
    local n="$1" d
    d="$(node_dir "$n")"
    mkdir -p "$d"
    chmod 777 "$dir" "$d"
    cat >"$d/rabbitmq.conf" <<EOF
listeners.tcp.local = 127.0.0.1:$(amqp_port "$n")
# guest may log in, from this machine only (RabbitMQ's default, said here on purpose)
loopback_users.guest = true
# a node cut off with a minority of the cluster stops serving rather than act on a stale view (see the script)
cluster_partition_handling = pause_minority
EOF
    # no consumer_timeout on 3.x: a node holds a job's message for as long as the job runs
    cp "$here/rabbitmq/advanced.config" "$d/advanced.config"
    echo "[]." >"$d/enabled_plugins"
    : >"$d/rabbitmq-env.conf" # the machine's rabbitmq-env.conf names the default node: these must not read it
    chmod 666 "$d"/*
}

start_node() { # node number: starts its VM on its data and waits until it accepts AMQP connections
    local n="$1" d
    d="$(node_dir "$n")"
    if running "$n"; then
        return 0
    fi
    rm -f "$d/rabbitmq.pid"
    # su rather than /usr/sbin/rabbitmq-server, whose wrapper writes to the default broker's startup log
    RABBITMQ_NODENAME="$(node_name "$n")" \
    RABBITMQ_NODE_PORT="$(amqp_port "$n")" \
    RABBITMQ_DIST_PORT=$((base + 20000 + n)) \
    RABBITMQ_MNESIA_BASE="$d/mnesia" \
    RABBITMQ_LOG_BASE="$d/log" \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_PID_FILE="$d/rabbitmq.pid" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
    ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        setsid su rabbitmq -s /bin/sh -c "cd /var/lib/rabbitmq && exec $server" >>"$d/server.log" 2>&1 </dev/null &
    for _ in $(seq 1 180); do
        if accepts "$n"; then
            return 0
        fi
        sleep 0.5
    done
    echo "node $(node_name "$n") did not accept connections on port $(amqp_port "$n") within 90 s;" \
        "see $d/server.log and $d/log" >&2
    return 1
}

node_pid() { cat "$(node_dir "$1")/rabbitmq.pid" 2>/dev/null || true; }

cmd_start() {
    require_root
    local n pid
    for n in "${nodes[@]}"; do
        if accepts "$n" && ! running "$n"; then
            echo "port $(amqp_port "$n") is taken by something else: set ORCHESTR_CLUSTER_PORT_BASE" >&2
            exit 1
        fi
    done
    local pids=()
    for n in "${nodes[@]}"; do
        prepare_node "$n"
        echo "Starting $(node_name "$n") on 127.0.0.1:$(amqp_port "$n")" >&2
        start_node "$n" &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do
        wait "$pid"
    done
    for n in 2 3; do
        if ! ctl_on "$n" cluster_status 2>/dev/null | grep -q "$(node_name 1)"; then
            {
                ctl_on "$n" stop_app
                ctl_on "$n" reset
                ctl_on "$n" join_cluster "$(node_name 1)"
                ctl_on "$n" start_app
            } >>"$(node_dir "$n")/join.log" 2>&1 || {
                echo "$(node_name "$n") could not join $(node_name 1): see $(node_dir "$n")/join.log" >&2
                exit 1
            }
        fi
    done
    for n in "${nodes[@]}"; do
        ctl_on "$n" await_startup
    done
    echo "Cluster of $(node_name 1), $(node_name 2), $(node_name 3) running (data in $dir). Use:" >&2
    echo "ORCHESTR_RABBITMQ_ADDRESSES=$(addresses)"
}

stop_node() { # node number: stops it cleanly if it answers, kills what is left of it
    local n="$1" pid
    if running "$n"; then
        echo "Stopping $(node_name "$n")" >&2
        ctl_on "$n" stop >/dev/null 2>&1 || true
    fi
    pid="$(node_pid "$n")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
    fi
}

cmd_stop() {
    require_root
    local n pids=()
    # all at once: one stopped alone would leave the others a minority, paused, slower to stop
    for n in "${nodes[@]}"; do
        stop_node "$n" &
        pids+=("$!")
    done
    wait "${pids[@]}"
    rm -rf "$dir"
    echo "Cluster stopped, $dir removed" >&2
}

cmd_status() {
    local n up=0
    for n in "${nodes[@]}"; do
        if running "$n"; then
            echo "$(node_name "$n") 127.0.0.1:$(amqp_port "$n") running (pid $(node_pid "$n"))"
            up=$((up + 1))
        else
            echo "$(node_name "$n") 127.0.0.1:$(amqp_port "$n") not running"
        fi
    done
    for n in "${nodes[@]}"; do
        if running "$n"; then
            ctl_on "$n" cluster_status --formatter json 2>/dev/null \
                | sed -n 's/.*"running_nodes":\[\([^]]*\)\].*/running nodes as seen by '"$(node_name "$n")"': \1/p'
            break
        fi
    done
    echo "ORCHESTR_RABBITMQ_ADDRESSES=$(addresses)"
    [ "$up" -eq "${#nodes[@]}" ]
}

node_arg() {
    case "${1:-}" in
        1 | 2 | 3) echo "$1" ;;
        *) echo "name a node: 1, 2 or 3" >&2; exit 2 ;;
    esac
}

cmd_kill() {
    require_root
    local n pid
    n="$(node_arg "${1:-}")"
    pid="$(node_pid "$n")"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "$(node_name "$n") is not running" >&2
        exit 1
    fi
    kill -9 "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    echo "Killed $(node_name "$n") (pid $pid)" >&2
}

cmd_start_node() {
    require_root
    local n
    n="$(node_arg "${1:-}")"
    start_node "$n"
    ctl_on "$n" await_startup
    echo "Started $(node_name "$n") again" >&2
}

cmd_leader() { # quorum queue name: its leader's node number, from any running node
    local queue="${1:?name a queue}" n leader
    for n in "${nodes[@]}"; do
        if running "$n"; then
            leader="$(ctl_on "$n" list_queues name leader --no-table-headers 2>/dev/null \
                | awk -v q="$queue" '$1 == q { print $2 }')"
            case "$leader" in
                orchestr-cluster-[123]@localhost) leader="${leader#orchestr-cluster-}"; echo "${leader%@localhost}"; return 0 ;;
            esac
        fi
    done
    echo "no running node knows a leader of $queue" >&2
    return 1
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill) cmd_kill "${2:-}" ;;
    start-node) cmd_start_node "${2:-}" ;;
    leader) cmd_leader "${2:-}" ;;
    *) sed -n '6,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
