# Sourced by the deploy scripts: picks a JDK that can build and run Orchestr (21 or newer) and sets the
# defaults for the local services. Every ORCHESTR_* variable already set wins.

orchestr_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
    for candidate in /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
            export JAVA_HOME="$candidate"
            break
        fi
    done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
    echo "Orchestr needs a JDK 21 or newer: set JAVA_HOME to one." >&2
    exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"

export ORCHESTR_RABBITMQ_HOST="${ORCHESTR_RABBITMQ_HOST:-127.0.0.1}"
export ORCHESTR_RABBITMQ_PORT="${ORCHESTR_RABBITMQ_PORT:-5672}"
export ORCHESTR_RABBITMQ_USER="${ORCHESTR_RABBITMQ_USER:-guest}"
export ORCHESTR_RABBITMQ_PASSWORD="${ORCHESTR_RABBITMQ_PASSWORD:-guest}"
export ORCHESTR_DB_HOST="${ORCHESTR_DB_HOST:-127.0.0.1}"
export ORCHESTR_DB_PORT="${ORCHESTR_DB_PORT:-3306}"
export ORCHESTR_DB_NAME="${ORCHESTR_DB_NAME:-orchestr}"
export ORCHESTR_DB_URL="${ORCHESTR_DB_URL:-jdbc:mysql://$ORCHESTR_DB_HOST:$ORCHESTR_DB_PORT/$ORCHESTR_DB_NAME}"
export ORCHESTR_DB_USER="${ORCHESTR_DB_USER:-orchestr}"
export ORCHESTR_DB_PASSWORD="${ORCHESTR_DB_PASSWORD:-orchestr}"
