# The manager's image. Build from the repository's root after `./mvnw -B package -DskipTests -pl manager -am`:
#   docker build -f deploy/docker/manager.Dockerfile -t orchestr/manager:0.1.0-SNAPSHOT .
# (No registry is reachable from CI here, so CI checks this recipe, not an image: KubernetesManifestsTest.)
# The manager listens on 127.0.0.1 unless told otherwise: run it with -e ORCHESTR_HTTP_HOST=0.0.0.0 to reach it
# from outside the container (deploy/kubernetes/manager.yaml does).
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --no-create-home orchestr
WORKDIR /app
COPY manager/target/quarkus-app/ /app/
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
