# The runnable node's image. Build from the repository's root after
# `./mvnw -B package -DskipTests -pl server-node/app -am`:
#   docker build -f deploy/docker/node.Dockerfile -t orchestr/node:0.1.0-SNAPSHOT .
# Its demo types stay off (ORCHESTR_NODE_DEMO unset): an image for your own handlers is your application's.
FROM eclipse-temurin:21-jre
# curl for the Kubernetes preStop hook, which drains the node on its own port (deploy/kubernetes/node.yaml)
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --no-create-home orchestr
WORKDIR /app
COPY server-node/app/target/quarkus-app/ /app/
USER 10001
EXPOSE 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
