package io.orchestr.node;

import io.orchestr.shared.topology.BrokerAddress;
import io.orchestr.shared.topology.QueueType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrchestratedServerBuilderTest {
    private static final RabbitMqOptions BROKER = RabbitMqOptions.of("localhost", 5672, "guest", "guest");
    private static final JobHandler NOTHING = ctx -> {
    };

    private static OrchestratedServerBuilder valid() {
        return OrchestratedServer.builder().name("n1").rabbitMq(BROKER).handler(NOTHING);
    }

    @Test
    void aMinimalNodeGetsTheDocumentedDefaults() {
        NodeSettings settings = valid().build().settings();

        assertThat(settings.slots()).isEqualTo(10);
        assertThat(settings.pools()).containsExactly("default");
        assertThat(settings.topology().prefix()).isEqualTo("orchestr");
        assertThat(settings.topology().queueType()).isEqualTo(QueueType.CLASSIC);
        assertThat(settings.handlers()).containsOnlyKeys("default");
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.fenceTimeout()).isEqualTo(Duration.ofMillis(1_400));
        assertThat(settings.cancelGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.rabbitMq().heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.rabbitMq().virtualHost()).isEqualTo("/");
    }

    @Test
    void everySettingIsTakenAsGiven() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        NodeSettings settings = valid().maxWorkers(3).pools("a", "b").prefix("p1").queueType(QueueType.QUORUM)
                .handler("ticker", NOTHING).clock(clock).heartbeatInterval(Duration.ofMillis(500))
                .fenceTimeout(Duration.ofMillis(1_200)).cancelGrace(Duration.ZERO).build().settings();

        assertThat(settings.slots()).isEqualTo(3);
        assertThat(settings.pools()).containsExactly("a", "b");
        assertThat(settings.topology().jobQueue("a")).isEqualTo("p1.jobs.a");
        assertThat(settings.topology().queueType()).isEqualTo(QueueType.QUORUM);
        assertThat(settings.handlers()).containsOnlyKeys("default", "ticker");
        assertThat(settings.clock()).isSameAs(clock);
        assertThat(settings.describe()).contains("3 slots", "pools [a, b]", "snapshot every 0.5s", "fence after 1.2s",
                "cancel grace 0s", "prefix p1 (quorum queues)");
    }

    @Test
    void theSettingsLineNeverShowsThePassword() {
        NodeSettings settings = valid().rabbitMq(RabbitMqOptions.of("h", 1, "u", "s3cret")).build().settings();

        assertThat(settings.describe()).contains("amqp://u@h:1").doesNotContain("s3cret");
    }

    @Test
    void theSettingsLineShowsTlsAndItsStoresButNeverTheirPasswords() {
        RabbitMqTls tls = RabbitMqTls.jvmTrustStore().withTrustStore(Path.of("/etc/ca.p12"), "trust-s3cret")
                .withKeyStore(Path.of("/etc/node.p12"), "key-s3cret");
        NodeSettings settings = valid().rabbitMq(RabbitMqOptions.of("h", 5671, "u", "p").withTls(tls)).build()
                .settings();

        assertThat(settings.describe()).contains("amqps://u@h:5671", "trust /etc/ca.p12",
                "client certificate /etc/node.p12").doesNotContain("s3cret", "hostname NOT verified");
        assertThat(RabbitMqOptions.of("h", 5671, "u", "p").withTls(tls.withHostnameVerification(false)).toString())
                .contains("hostname NOT verified");
    }

    @Test
    void badValuesAreRefusedWhereTheyAreSetNamingTheSetting() {
        OrchestratedServerBuilder builder = OrchestratedServer.builder();
        assertRefused(() -> builder.name(" "), "name");
        assertRefused(() -> builder.maxWorkers(0), "maxWorkers must be 1 to 65535, got 0");
        assertRefused(() -> builder.maxWorkers(70_000), "maxWorkers");
        assertRefused(() -> builder.rabbitMq(null), "rabbitMq must not be null");
        assertRefused(() -> builder.handler(null, NOTHING), "handler type");
        assertRefused(() -> builder.handler("two words", NOTHING), "handler type must be 1 to 100 characters");
        assertRefused(() -> builder.handler("x\u202ey", NOTHING), "handler type");
        assertRefused(() -> builder.name("node\r\nforged line"), "name must not hold control or format characters");
        assertRefused(() -> builder.handler("x", null), "handler of type x must not be null");
        assertRefused(() -> builder.pools(), "at least one pool");
        assertRefused(() -> builder.pools("ok", "bad pool"), "invalid pool 'bad pool'");
        assertRefused(() -> builder.pools("a", "a"), "pool 'a' is named twice");
        assertRefused(() -> builder.prefix("bad prefix!"), "invalid topology prefix");
        assertRefused(() -> builder.heartbeatInterval(Duration.ZERO), "heartbeatInterval must be above zero");
        assertRefused(() -> builder.fenceTimeout(Duration.ofSeconds(-1)), "fenceTimeout must be above zero");
        assertRefused(() -> builder.cancelGrace(Duration.ofSeconds(-1)), "cancelGrace must not be negative");
        assertRefused(() -> builder.listener(null), "listener");
        assertRefused(() -> builder.clock(null), "clock");
        assertRefused(() -> builder.restartPolicy(null), "restartPolicy");
        assertRefused(() -> builder.outputDir(null), "outputDir");
        assertRefused(() -> builder.outputRetention(0, 1024), "outputRetention runs must be at least 1");
        assertRefused(() -> builder.outputRetention(1, 1023), "outputRetention bytes must be at least 1024");
        assertRefused(() -> builder.managerUrl(null), "managerUrl must not be null");
        assertRefused(() -> builder.managerToken(null), "managerToken must not be null");
        assertRefused(() -> builder.managerUrl(URI.create("manager:8080")), "managerUrl must be an http or https URL");
        assertRefused(() -> builder.managerUrl(URI.create("ftp://manager")), "managerUrl");
    }

    @Test
    void aNodeWithAManagerUrlGivesItsHandlersAClientOfThatManagerAndOneWithoutNone() {
        assertThat(valid().managerUrl(URI.create("http://manager:8080")).build().settings().manager())
                .hasToString("http://manager:8080/api/");
        assertThat(valid().build().settings().manager()).isNull();
        assertThat(valid().build().settings().describe()).contains("manager none (no manager URL)");
    }

    @Test
    void aHandlerTypeCanBeSetOnlyOnce() {
        assertRefused(() -> valid().handler(NOTHING), "a handler of type 'default' is already set");
    }

    @Test
    void buildRefusesMissingOrConflictingSettings() {
        assertRefused(() -> OrchestratedServer.builder().rabbitMq(BROKER).handler(NOTHING).build(), "name is required");
        assertRefused(() -> OrchestratedServer.builder().name("n").handler(NOTHING).build(), "rabbitMq is required");
        assertRefused(() -> OrchestratedServer.builder().name("n").rabbitMq(BROKER).build(),
                "at least one handler");
        assertRefused(() -> valid().maxWorkers(1).pools("a", "b").build(), "every queue needs a slot");
        assertRefused(() -> valid().fenceTimeout(Duration.ofMillis(900)).build(), "must be at least PT1S");
        assertRefused(() -> valid().fenceTimeout(Duration.ofSeconds(2)).build(),
                "must be at most PT1.4S, two RabbitMQ connection heartbeats");
        // a fence fires up to a check period late: 1.5 s is too close to the broker's 2 s
        assertRefused(() -> valid().fenceTimeout(Duration.ofMillis(1_500)).build(), "must be at most PT1.4S");
        RabbitMqOptions slowBroker = BROKER.withHeartbeat(Duration.ofSeconds(5));
        assertRefused(() -> valid().rabbitMq(slowBroker).fenceTimeout(Duration.ofMillis(9_500)).build(),
                "must be at most PT9.4S");
    }

    @Test
    void brokerOptionsRefuseWhatTheBrokerCannotTake() {
        assertRefused(() -> RabbitMqOptions.of("", 5672, "u", "p"), "host");
        assertRefused(() -> RabbitMqOptions.of("h", 0, "u", "p"), "port must be 1 to 65535");
        assertRefused(() -> BROKER.withHeartbeat(Duration.ofMillis(1500)), "whole seconds");
        assertRefused(() -> BROKER.withVirtualHost(""), "virtual host");
    }

    @Test
    void aNodeClosedBeforeItStartedCannotStartAnyMore() {
        OrchestratedServer server = valid().build();
        server.close();
        server.close();

        assertThatThrownBy(server::start).isInstanceOf(NodeException.class)
                .hasMessageContaining("node 'n1' is CLOSED and cannot start again");
        assertThat(server.isConnected()).isFalse();
        assertThat(server.nodeId()).isEmpty();
    }

    @Test
    void aNodeThatCannotReachItsBrokerFailsToStartWithTheAddress() {
        OrchestratedServer server = valid().rabbitMq(RabbitMqOptions.of("127.0.0.1", 1, "guest", "guest")).build();

        assertThatThrownBy(server::start).isInstanceOf(NodeException.class)
                .hasMessageContaining("node 'n1' could not connect to RabbitMQ at 127.0.0.1:1");
        assertThatThrownBy(server::start).hasMessageContaining("cannot start again");
    }

    @Test
    void aNodeGivenTheNodesOfABrokerClusterTriesEachAndNamesThemAllWhenNoneAnswers() {
        RabbitMqOptions cluster = BROKER.withAddresses(BrokerAddress.parseList(BrokerAddress.SETTING,
                "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3"));
        assertThat(cluster.host()).isEqualTo("127.0.0.1");
        assertThat(cluster.port()).isEqualTo(1);
        assertThat(cluster.address()).isEqualTo("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3");
        assertThat(cluster.withHeartbeat(Duration.ofSeconds(3)).addresses()).isEqualTo(cluster.addresses());
        assertThat(BROKER.addresses()).containsExactly(new BrokerAddress("localhost", 5672));
        assertRefused(() -> BROKER.withAddresses(List.of()), "at least one broker node");

        OrchestratedServer server = valid().rabbitMq(cluster).build();
        assertThatThrownBy(server::start).isInstanceOf(NodeException.class)
                .hasMessageContaining("could not connect to RabbitMQ at 127.0.0.1:1,127.0.0.1:2,127.0.0.1:3");
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
