#!/usr/bin/env bash
# Makes sure the local RabbitMQ and MariaDB are installed, running, and have what Orchestr needs: the
# database user $ORCHESTR_DB_USER (allowed to create databases named orchestr*) and the database
# $ORCHESTR_DB_NAME. Safe to run again. Installs with apt-get only what is missing (needs root).
# With --browser (deploy/test.sh) also Debian's chromium and its chromedriver, for the dashboard's browser test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
install_package() {
    if ! $apt_updated; then
        as_root apt-get update -qq
        apt_updated=true
    fi
    echo "Installing $1 with apt-get"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$1" >/dev/null
}

wait_for() { # description, seconds, command...
    local what="$1" seconds="$2"
    shift 2
    for _ in $(seq 1 "$seconds"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo "$what did not come up within ${seconds}s" >&2
    return 1
}

if [ "${1:-}" = "--browser" ]; then
    command -v chromium >/dev/null || install_package chromium
    command -v chromedriver >/dev/null || install_package chromium-driver
fi

# RabbitMQ
command -v rabbitmq-server >/dev/null || install_package rabbitmq-server
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    echo "Starting RabbitMQ"
    as_root rabbitmq-server -detached
    wait_for "RabbitMQ" 90 as_root rabbitmqctl -q status
fi
# A job's message stays unacked while the job runs: RabbitMQ's consumer_timeout (30 min by default) must not
# close a node's channel. Brokers before 3.12 have no per-queue setting, so turn it off broker-wide, now
# (for new channels) and across restarts (advanced.config).
rabbit_version="$(as_root rabbitmqctl -q version 2>/dev/null || echo 0.0)"
if printf '%s\n3.12\n' "$rabbit_version" | sort -V -C; then
    if [ ! -f /etc/rabbitmq/advanced.config ]; then
        as_root cp "$orchestr_root/deploy/rabbitmq/advanced.config" /etc/rabbitmq/advanced.config
    fi
    as_root rabbitmqctl -q eval 'application:set_env(rabbit, consumer_timeout, undefined).' >/dev/null
fi
wait_for "RabbitMQ's AMQP port" 60 bash -c "exec 3<>/dev/tcp/$ORCHESTR_RABBITMQ_HOST/$ORCHESTR_RABBITMQ_PORT"

# MariaDB (stands in for MySQL)
command -v mariadbd >/dev/null || command -v mysqld >/dev/null || install_package mariadb-server
if ! as_root mariadb-admin ping >/dev/null 2>&1; then
    echo "Starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd || command -v mysqld)"
    wait_for "MariaDB" 60 as_root mariadb-admin ping
fi
as_root mariadb -uroot <<SQL
CREATE USER IF NOT EXISTS '$ORCHESTR_DB_USER'@'localhost' IDENTIFIED BY '$ORCHESTR_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$ORCHESTR_DB_USER'@'127.0.0.1' IDENTIFIED BY '$ORCHESTR_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$ORCHESTR_DB_USER'@'%' IDENTIFIED BY '$ORCHESTR_DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`orchestr%\`.* TO '$ORCHESTR_DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`orchestr%\`.* TO '$ORCHESTR_DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`orchestr%\`.* TO '$ORCHESTR_DB_USER'@'%';
CREATE DATABASE IF NOT EXISTS \`$ORCHESTR_DB_NAME\`;
SQL
echo "RabbitMQ at $ORCHESTR_RABBITMQ_HOST:$ORCHESTR_RABBITMQ_PORT and MariaDB at $ORCHESTR_DB_URL are ready."
