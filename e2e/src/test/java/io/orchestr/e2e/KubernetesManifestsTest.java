package io.orchestr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads {@code deploy/kubernetes/*.yaml} and {@code deploy/docker/*.Dockerfile} and checks what a cluster would
 * otherwise find out the hard way; no cluster or schema registry is reachable here, so nothing is applied.
 */
class KubernetesManifestsTest {
    private static final Path DEPLOY =
            Path.of(System.getProperty("orchestr.deploy-root", "../deploy")).toAbsolutePath().normalize();
    /** Margin beyond the cancel grace for a node to hand its jobs back and close. */
    private static final Duration HAND_BACK_MARGIN = Duration.ofSeconds(10);

    private static final List<JsonNode> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void readManifests() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                    documents.forEachRemaining(RESOURCES::add);
                }
            }
        }
    }

    @Test
    void everyContainerHasHealthProbesResourcesAndRunsAsNonRoot() {
        List<JsonNode> deployments = ofKind("Deployment");
        assertThat(deployments).extracting(KubernetesManifestsTest::name)
                .containsExactlyInAnyOrder("orchestr-manager", "orchestr-node", "orchestr-controller-node");
        for (JsonNode deployment : deployments) {
            JsonNode pod = deployment.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name(deployment)).isTrue();
            for (JsonNode container : pod.get("containers")) {
                assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
                assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
                assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
                assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
            }
        }
    }

    @Test
    void theManagerListensOnEveryInterfaceOfItsPodSinceItsDefaultIsLoopbackOnly() {
        assertThat(env(named("Deployment", "orchestr-manager"), "ORCHESTR_HTTP_HOST")).isEqualTo("0.0.0.0");
    }

    @Test
    void theManagerReadsItsApiTokensFromTheSecretAndTheControllersSendATokenOfIt() {
        JsonNode manager = named("Deployment", "orchestr-manager");
        String tokensFile = env(manager, "ORCHESTR_API_TOKENS_FILE");
        JsonNode mount = manager.at("/spec/template/spec/containers/0/volumeMounts/0");
        JsonNode volume = manager.at("/spec/template/spec/volumes/0");

        assertThat(tokensFile).startsWith(mount.get("mountPath").asText() + "/");
        assertThat(mount.get("readOnly").asBoolean()).isTrue();
        assertThat(volume.get("name").asText()).isEqualTo(mount.get("name").asText());
        assertThat(volume.at("/secret/secretName").asText()).isEqualTo("orchestr-secrets");
        assertThat(volume.at("/secret/items/0/key").asText()).isEqualTo("api-tokens");
        assertThat(tokensFile).endsWith("/" + volume.at("/secret/items/0/path").asText());
        assertThat(named("Deployment", "orchestr-controller-node").at("/spec/template/spec/containers/0/env")
                .findValues("name").stream().map(JsonNode::asText)).contains("ORCHESTR_TOKEN");
    }

    @Test
    void credentialsComeOnlyFromTheSecret() {
        for (JsonNode deployment : ofKind("Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                for (JsonNode variable : container.path("env")) {
                    String name = variable.get("name").asText();
                    if (name.endsWith("_PASSWORD") || name.endsWith("_USER") || name.endsWith("_TOKEN")) {
                        assertThat(variable.has("value")).as("%s of %s has a plain value", name, name(deployment))
                                .isFalse();
                        assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("orchestr-secrets");
                    }
                }
            }
        }
        for (JsonNode config : ofKind("ConfigMap")) {
            config.path("data").fieldNames().forEachRemaining(key ->
                    assertThat(key).as("a ConfigMap key").doesNotContain("PASSWORD").doesNotContain("TOKEN"));
        }
        assertThat(ofKind("Secret")).as("secrets kept out of the repository").isEmpty();
    }

    @Test
    void aNodeHasTheTimeToHandItsJobsBackAndOnlyOneNodeIsDisruptedAtATime() {
        JsonNode node = named("Deployment", "orchestr-node");
        Duration cancelGrace = Duration.parse("PT" + env(node, "ORCHESTR_NODE_CANCEL_GRACE").toUpperCase());
        long grace = node.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();

        assertThat(Duration.ofSeconds(grace)).isGreaterThanOrEqualTo(cancelGrace.plus(HAND_BACK_MARGIN));
        assertThat(named("PodDisruptionBudget", "orchestr-node").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(named("PodDisruptionBudget", "orchestr-manager").at("/spec/minAvailable").asInt()).isEqualTo(1);
    }

    @Test
    void aNodeIsDrainedOnItsOwnLoopbackPortBeforeItsSigtermAndTheGracePeriodCoversTheDrainAndTheHandBack()
            throws IOException {
        JsonNode node = named("Deployment", "orchestr-node");
        JsonNode container = node.at("/spec/template/spec/containers/0");
        List<String> command = new ArrayList<>();
        container.at("/lifecycle/preStop/exec/command").forEach(part -> command.add(part.asText()));
        String url = command.isEmpty() ? "" : command.getLast();
        Duration cancelGrace = Duration.parse("PT" + env(node, "ORCHESTR_NODE_CANCEL_GRACE").toUpperCase());
        long grace = node.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();

        assertThat(command).as("the preStop hook").startsWith("curl").contains("--fail", "POST");
        int port = container.at("/ports/0/containerPort").asInt();
        assertThat(url).as("the loopback drain, the only address it serves")
                .startsWith("http://127.0.0.1:" + port + "/drain?timeout=");
        Duration drainTimeout = Duration.parse(url.substring(url.indexOf("timeout=") + "timeout=".length()));
        Duration curlTimeout = Duration.ofSeconds(Long.parseLong(command.get(command.indexOf("--max-time") + 1)));
        assertThat(curlTimeout).as("curl waits for the drain's answer").isGreaterThan(drainTimeout);
        assertThat(Duration.ofSeconds(grace)).as("the drain, then the SIGTERM's hand-back of what it left")
                .isGreaterThanOrEqualTo(curlTimeout.plus(cancelGrace).plus(HAND_BACK_MARGIN));
        assertThat(Files.readString(DEPLOY.resolve("docker").resolve("node.Dockerfile")))
                .as("the image has curl for the hook").containsPattern("(?m)^RUN .*install .*curl");
    }

    @Test
    void controllerNodesServeAPoolOfTheirOwnWithManySlotsAndEveryNodeReachesTheManager() {
        JsonNode controllers = named("Deployment", "orchestr-controller-node");

        assertThat(env(controllers, "ORCHESTR_NODE_POOLS")).isEqualTo("controllers");
        assertThat(Integer.parseInt(env(controllers, "ORCHESTR_NODE_SLOTS"))).as("controllers mostly wait")
                .isGreaterThan(Integer.parseInt(env(named("Deployment", "orchestr-node"), "ORCHESTR_NODE_SLOTS")));
        assertThat(named("PodDisruptionBudget", "orchestr-controller-node").at("/spec/maxUnavailable").asInt())
                .isEqualTo(1);
        int managerPort = named("Service", "orchestr-manager").at("/spec/ports/0/port").asInt();
        assertThat(named("ConfigMap", "orchestr-config").at("/data/ORCHESTR_NODE_MANAGER_URL").asText())
                .isEqualTo("http://orchestr-manager:" + managerPort);
    }

    @Test
    void theBrokerIsAThreeNodeClusterThatPausesItsMinorityWithoutConsumerTimeoutAndTheQueuesAreQuorumQueues() {
        JsonNode broker = named("RabbitmqCluster", "orchestr-rabbitmq");

        assertThat(broker.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(broker.at("/spec/image").asText()).as("the advanced config is for RabbitMQ 3.x")
                .startsWith("rabbitmq:3.");
        assertThat(broker.at("/spec/rabbitmq/additionalConfig").asText())
                .contains("cluster_partition_handling = pause_minority");
        assertThat(broker.at("/spec/rabbitmq/advancedConfig").asText().replace(" ", ""))
                .as("a job's message stays unacked while it runs").contains("{consumer_timeout,undefined}");
        assertThat(named("ConfigMap", "orchestr-config").at("/data/ORCHESTR_QUEUE_TYPE").asText()).isEqualTo("quorum");
        assertThat(named("ConfigMap", "orchestr-config").at("/data/ORCHESTR_RABBITMQ_HOST").asText())
                .isEqualTo("orchestr-rabbitmq");
    }

    @Test
    void theImageRecipesRunTheBuiltQuarkusAppAsANonRootUser() throws IOException {
        for (String image : List.of("manager", "node")) {
            String recipe = Files.readString(DEPLOY.resolve("docker").resolve(image + ".Dockerfile"));
            assertThat(recipe).as(image).containsPattern("(?m)^COPY \\S+/target/quarkus-app/ /app/$")
                    .containsPattern("(?m)^USER 10001$").contains("\"-jar\", \"/app/quarkus-run.jar\"]");
        }
    }

    private static List<JsonNode> ofKind(String kind) {
        return RESOURCES.stream().filter(resource -> kind.equals(resource.path("kind").asText())).toList();
    }

    private static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(resource -> name.equals(name(resource))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + DEPLOY));
    }

    private static String name(JsonNode resource) {
        return resource.at("/metadata/name").asText();
    }

    private static String env(JsonNode deployment, String variable) {
        for (JsonNode entry : deployment.at("/spec/template/spec/containers/0/env")) {
            if (variable.equals(entry.get("name").asText())) {
                return entry.get("value").asText();
            }
        }
        throw new AssertionError(variable + " is not set in " + name(deployment));
    }
}
