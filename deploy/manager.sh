#!/usr/bin/env bash
# Starts one Orchestr manager in the foreground. Configured by environment (defaults in brackets):
#   ORCHESTR_HTTP_PORT [8080]      REST API, health and metrics
#   ORCHESTR_HTTP_HOST [127.0.0.1] the address it listens on; 0.0.0.0 for every interface
#   ORCHESTR_API_TOKENS_FILE []    lines of role:sha256hex(token), role viewer, operator or admin (README, "Access control")
#   ORCHESTR_OIDC_ISSUER [], ORCHESTR_OIDC_JWKS_URL [], ORCHESTR_OIDC_ROLE_CLAIM [orchestr_role]  OIDC bearer tokens
#   ORCHESTR_AUTH [on]             off: no access control (a warning at every start)
#   ORCHESTR_METRICS_AUTH [off]    on: /q/metrics needs a viewer token
#   ORCHESTR_DB_URL [jdbc:mysql://127.0.0.1:3306/orchestr], ORCHESTR_DB_USER [orchestr], ORCHESTR_DB_PASSWORD [orchestr]
#   ORCHESTR_DB_TLS_MODE [PREFERRED] Connector/J's sslMode: REQUIRED, VERIFY_CA or VERIFY_IDENTITY to insist on TLS
#   ORCHESTR_DB_TLS_TRUST_STORE/_PASSWORD [the JVM's] PKCS12 file of the CAs that sign the database's cert
#   ORCHESTR_RABBITMQ_HOST [127.0.0.1], ORCHESTR_RABBITMQ_PORT [5672], ORCHESTR_RABBITMQ_USER/PASSWORD [guest]
#   ORCHESTR_RABBITMQ_TLS* [false]  TLS to the broker, the same variables as deploy/node.sh's (the host name is
#                                  always verified: no _VERIFY_HOSTNAME)
#   ORCHESTR_PREFIX [orchestr]     broker names prefix
#   ORCHESTR_JAVA_OPTS             extra JVM options
# Builds the manager first when it has not been built.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
jar="$orchestr_root/manager/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ]; then
    echo "Building the manager (first run only)"
    (cd "$orchestr_root" && ./mvnw -B -q -DskipTests -pl manager -am install)
fi
# exec: the JVM takes this script's pid, so signals sent to it reach the manager itself
exec "$JAVA_HOME/bin/java" ${ORCHESTR_JAVA_OPTS:-} -jar "$jar"
