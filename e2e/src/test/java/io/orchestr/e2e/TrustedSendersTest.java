package io.orchestr.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.orchestr.e2e.harness.OrchestrProcess;
import io.orchestr.e2e.harness.TickLog;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.QueueType;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Trusted senders (docs/architecture.md, "Trusted senders"): a manager and two nodes, each with a broker user of its
 * own made by {@code deploy/broker-users.sh}, and broker clients that forge their messages. The broker refuses what
 * a node's user may not publish, or a {@code user-id} not its own; the node refuses grants, drops, cancels and job
 * messages that no manager's user sent; the manager ignores a {@code node-left} and a {@code job-ended} about a node
 * that another user sent. Through all of it the job runs on its node, once.
 */
class TrustedSendersTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String MANAGER_USER = "ts-manager-" + SUFFIX;
    private static final String NODE1_USER = "ts-node1-" + SUFFIX;
    private static final String NODE2_USER = "ts-node2-" + SUFFIX;
    /** A broker user that may write everywhere but is no manager: a node user of a broker set up too widely. */
    private static final String ROGUE_USER = "ts-rogue-" + SUFFIX;
    private static final String PASSWORD = "pw-" + SUFFIX;
    private static final WireCodec CODEC = new WireCodec();
    private static final List<String> USERS = List.of(MANAGER_USER, NODE1_USER, NODE2_USER, ROGUE_USER);

    private static Cluster cluster;
    private static OrchestrProcess node1;
    private static OrchestrProcess node2;
    private static Topology topology;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.withManagerAfter("senders", prefix -> {
            brokerUsers(prefix, "manager", MANAGER_USER, PASSWORD);
            brokerUsers(prefix, "node", NODE1_USER, PASSWORD);
            brokerUsers(prefix, "node", NODE2_USER, PASSWORD);
            rabbitmqctl("add_user", ROGUE_USER, PASSWORD);
            rabbitmqctl("set_permissions", "-p", "/", ROGUE_USER, ".*", ".*", ".*");
            return Map.of("ORCHESTR_RABBITMQ_USER", MANAGER_USER, "ORCHESTR_RABBITMQ_PASSWORD", PASSWORD);
        });
        topology = new Topology(cluster.prefix(), QueueType.CLASSIC);
        node1 = startNode("node-1", NODE1_USER);
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            USERS.forEach(user -> {
                try {
                    rabbitmqctl("delete_user", user);
                } catch (RuntimeException e) {
                    // never created
                }
            });
        }
    }

    @Test
    void forgedMessagesChangeNothingAndTheJobRunsOnItsNodeOnce() throws Exception {
        Jobs jobs = new Jobs(cluster);
        UUID id = jobs.createTicker("guarded");
        jobs.awaitAllProcessing(List.of(id), Duration.ofSeconds(60));
        jobs.awaitAllTicking(List.of(id), Duration.ofSeconds(30));
        String name = jobs.job(id).name();
        TickLog.Tick first = cluster.tickLog(name).ticks().getFirst();
        UUID node1Id = UUID.fromString(first.nodeId());
        node2 = startNode("node-2", NODE2_USER);

        try (Rogue asNode2 = new Rogue(NODE2_USER)) {
            // the broker: a node's user may not publish to the control exchange or the default exchange, nor name
            // another user as the sender
            assertThat(asNode2.refused(topology.controlExchange(), Topology.nodeRoutingKey(node1Id),
                    new ToNode.Cancel(id), NODE2_USER)).isEqualTo(AMQP.ACCESS_REFUSED);
            assertThat(asNode2.refused("", topology.jobQueue("default"),
                    forgedJob(id, name), NODE2_USER)).isEqualTo(AMQP.ACCESS_REFUSED);
            assertThat(asNode2.refused(topology.toManagerExchange(), Topology.MANAGER_KEY,
                    new ToManager.NodeLeft(node1Id), MANAGER_USER)).isEqualTo(AMQP.PRECONDITION_FAILED);

            // the manager: node-2's user speaks for node-2 only
            asNode2.publish(topology.toManagerExchange(), Topology.MANAGER_KEY, new ToManager.NodeLeft(node1Id),
                    NODE2_USER);
            asNode2.publish(topology.toManagerExchange(), Topology.MANAGER_KEY, new ToManager.JobEnded(id, node1Id,
                    first.epoch(), ToManager.Outcome.COMPLETED, 0, null), NODE2_USER);
        }
        await("the manager ignored the forged node-left and job-ended").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.manager().log().contains("Ignored a node-left about node " + node1Id)
                        && cluster.manager().log().contains("Ignored a job-ended about node " + node1Id));

        try (Rogue rogue = new Rogue(ROGUE_USER)) {
            // the nodes: what a user that is not a manager's sends is refused, wherever it may write
            String toNode1 = Topology.nodeRoutingKey(node1Id);
            rogue.publish(topology.controlExchange(), toNode1, new ToNode.Grant(id, first.epoch() + 1, 0L), ROGUE_USER);
            rogue.publish(topology.controlExchange(), toNode1, new ToNode.Drop(id, "forged", 0L), ROGUE_USER);
            rogue.publish(topology.controlExchange(), Topology.BROADCAST_KEY, new ToNode.Cancel(id), ROGUE_USER);
            rogue.publish(topology.controlExchange(), toNode1, new ToNode.Cancel(id), null);
            rogue.publish("", topology.jobQueue("default"), forgedJob(id, name), ROGUE_USER);
        }
        await("node-1 refused the forged grant, drop and cancels").atMost(Duration.ofSeconds(30))
                .until(() -> node1.log().contains("Refused a grant of job " + id)
                        && node1.log().contains("Refused a drop of job " + id)
                        && count(node1.log(), "Refused a cancel of job " + id) == 2);
        await("the forged job message refused").atMost(Duration.ofSeconds(30))
                .until(() -> node2.log().contains("Refused a job message of job " + id));
        assertThat(node1.log()).contains("not one of the managers' broker users [" + MANAGER_USER + "]");

        // the job went on running on node-1 alone, under its first grant, and node-1 is as it was
        int ticks = cluster.tickLog(name).ticks().size();
        await("the job ticking on node-1").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.tickLog(name).ticks().size() > ticks + 5);
        JobView job = jobs.job(id);
        assertThat(job.status()).isEqualTo(JobStatus.Processing);
        assertThat(job.serverId()).isEqualTo(node1Id);
        assertThat(cluster.client().server(node1Id).status()).isEqualTo(NodeStatus.Active);
        assertThat(cluster.tickLog(name).runs()).singleElement()
                .satisfies(run -> assertThat(run.nodeId()).isEqualTo(node1Id.toString()));
        assertThat(cluster.tickLog(name).ticks()).allSatisfy(tick -> {
            assertThat(tick.epoch()).isEqualTo(first.epoch());
            assertThat(tick.cancelled()).isFalse();
        });
        jobs.assertNoJobRanTwiceAtOnce(List.of(id));
    }

    private static OrchestrProcess startNode(String name, String user) {
        return cluster.launchNodeWith(name, Map.of("ORCHESTR_RABBITMQ_USER", user,
                "ORCHESTR_RABBITMQ_PASSWORD", PASSWORD, "ORCHESTR_MANAGER_BROKER_USERS", MANAGER_USER))
                .awaitReady(Cluster.START_TIMEOUT);
    }

    /** A copy of the job as no manager made it: another argument, as an attacker would run. */
    private static JobMessage forgedJob(UUID id, String name) {
        return new JobMessage(id, name, "file=/tmp/forged-" + SUFFIX, "ticker", "default", null, null, null);
    }

    private static int count(String text, String part) {
        int found = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            found++;
        }
        return found;
    }

    private static void brokerUsers(String prefix, String role, String user, String password) {
        run(List.of("bash", Cluster.nodeRoot().resolve("deploy/broker-users.sh").toString(), role, user, password),
                Map.of("ORCHESTR_PREFIX", prefix));
    }

    private static void rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        run(command, Map.of());
    }

    private static void run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + " did not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A broker client as {@code user}, publishing with confirms what it likes. */
    private static final class Rogue implements AutoCloseable {
        private final Connection connection;

        Rogue(String user) throws IOException, TimeoutException {
            TestServices.Broker broker = TestServices.get().broker();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(broker.host());
            factory.setPort(broker.port());
            factory.setUsername(user);
            factory.setPassword(PASSWORD);
            this.connection = factory.newConnection("e2e-rogue-" + user);
        }

        /** Publishes {@code message} naming {@code userId} (null: none) and waits for the broker's confirm. */
        void publish(String exchange, String key, Object message, String userId) throws Exception {
            try (Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                channel.basicPublish(exchange, key, properties(userId), CODEC.encode(message));
                channel.waitForConfirmsOrDie(10_000);
            }
        }

        /** Publishes as {@link #publish} and returns the code the broker closed the channel with. */
        int refused(String exchange, String key, Object message, String userId) throws Exception {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.basicPublish(exchange, key, properties(userId), CODEC.encode(message));
            Throwable failure = catchThrowable(() -> channel.waitForConfirmsOrDie(10_000));
            assertThat(failure).as("the broker refused the publish").isNotNull();
            ShutdownSignalException signal = channel.getCloseReason();
            assertThat(signal).isNotNull();
            return ((AMQP.Channel.Close) signal.getReason()).getReplyCode();
        }

        private static AMQP.BasicProperties properties(String userId) {
            return new AMQP.BasicProperties.Builder().contentType(WireCodec.CONTENT_TYPE).userId(userId)
                    .deliveryMode(2).build();
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }
}
