#!/usr/bin/env bash
# Creates the broker users of an Orchestr system with least privilege (README, "Broker users"; SECURITY.md):
#
#   deploy/broker-users.sh manager NAME PASSWORD   # a manager's user (managers may share one)
#   deploy/broker-users.sh node NAME PASSWORD      # a node's user: one per node, so that the managers tell nodes apart
#   deploy/broker-users.sh delete NAME
#
# Managers then run with ORCHESTR_RABBITMQ_USER=<manager user>, nodes with their own user and
# ORCHESTR_MANAGER_BROKER_USERS=<the manager users, comma-separated>. The permissions cover the names under
# ORCHESTR_PREFIX (orchestr) in ORCHESTR_RABBITMQ_VHOST (/):
#   manager: configure, write and read every <prefix>.* name, and write the default exchange (it publishes jobs
#            to their queues by name, and output requests to a node's queue);
#   node:    configure only the pool queues (<prefix>.jobs.*, <prefix>.exec.*, which a node declares before any job
#            of its pool exists) and its own exclusive queues (<prefix>.node.*, which no other connection can use);
#            write only the to-manager exchange (all it sends), the dead-letter exchange (its queues name it) and
#            its own queues (to bind them); read its pool queues, its own queues and the control exchange (to bind
#            them). No write on the default or the control exchange: a node cannot put a job or a control message
#            anywhere; the shared queues and exchanges are declared by the managers (start a manager first).
# Safe to run again: an existing user gets the password and permissions anew. Runs rabbitmqctl (as root when
# needed) on this machine's broker.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

usage() {
    echo "usage: $0 manager|node NAME PASSWORD | delete NAME" >&2
    exit 2
}

role="${1:-}"
name="${2:-}"
[ -n "$name" ] || usage
prefix="${ORCHESTR_PREFIX:-orchestr}"
vhost="${ORCHESTR_RABBITMQ_VHOST:-/}"
p="^${prefix//./\\.}"

add_user() { # name, password
    if as_root rabbitmqctl -q list_users | cut -f1 | grep -qxF "$1"; then
        as_root rabbitmqctl -q change_password "$1" "$2" >/dev/null
    else
        as_root rabbitmqctl -q add_user "$1" "$2" >/dev/null
    fi
}

case "$role" in
    manager)
        [ $# -eq 3 ] || usage
        add_user "$name" "$3"
        as_root rabbitmqctl -q set_permissions -p "$vhost" "$name" \
            "$p\\..*" "$p\\..*|^amq\\.default\$" "$p\\..*" >/dev/null
        ;;
    node)
        [ $# -eq 3 ] || usage
        add_user "$name" "$3"
        as_root rabbitmqctl -q set_permissions -p "$vhost" "$name" \
            "$p\\.(jobs|exec)\\.[^.]+\$|$p\\.node\\..*" \
            "$p\\.to-manager\$|$p\\.dead\$|$p\\.node\\..*" \
            "$p\\.(jobs|exec)\\.[^.]+\$|$p\\.node\\..*|$p\\.control\$" >/dev/null
        ;;
    delete)
        [ $# -eq 2 ] || usage
        as_root rabbitmqctl -q delete_user "$name" >/dev/null
        ;;
    *)
        usage
        ;;
esac
echo "broker user $name: ${role} (prefix $prefix, vhost $vhost)"
