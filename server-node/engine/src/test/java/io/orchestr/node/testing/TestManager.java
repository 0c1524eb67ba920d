package io.orchestr.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;
import io.orchestr.testing.TestServices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scripted manager: a real protocol peer on its own connection, not a broker mock. It consumes the manager
 * queue, records every message, and answers claims by a rule the test picks: grant (epoch grows with every grant
 * to another incarnation, as the real manager's does), drop, wait, or no answer at all. Checkpoints are stored
 * as the real manager stores them, only from the job's current grant, and grants carry the last one; or left
 * unanswered.
 */
public final class TestManager implements AutoCloseable {
    private final Topology topology;
    private final WireCodec codec = new WireCodec();
    private final Connection connection;
    private final Channel publisher;
    private final List<ToManager> received = new CopyOnWriteArrayList<>();
    private final List<ToManager.Claim> singleClaims = new CopyOnWriteArrayList<>();
    private final Map<UUID, Grant> grants = new ConcurrentHashMap<>();
    private volatile Function<ToManager.Claim, Optional<ToNode>> rule = claim -> Optional.empty();
    private volatile boolean namesClaimIds = true;
    private final Map<UUID, StoredCheckpoint> checkpoints = new ConcurrentHashMap<>();
    private volatile boolean answersCheckpoints = true;
    private volatile Consumer<ToManager.JobEnded> onEnd = end -> {
    };

    private record Grant(UUID owner, long epoch) {
    }

    private record StoredCheckpoint(JsonNode state, Instant at) {
    }

    public TestManager(Topology topology) {
        this.topology = topology;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(TestServices.get().broker().uri());
            connection = factory.newConnection("orchestr-test-manager-" + topology.prefix());
            publisher = connection.createChannel();
            Channel consumer = connection.createChannel();
            topology.declareShared(consumer);
            for (String queue : List.of(topology.managerQueue(), topology.claimsQueue())) {
                // acked once handled, as the managers do: the broker confirms a durable report to its node only
                // then (or once it is on disk), so a reaction can reach the node before that confirm
                consumer.basicConsume(queue, false, (tag, delivery) -> {
                    onMessage(codec.decodeToManager(delivery.getBody()));
                    consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                }, tag -> {
                });
            }
        } catch (Exception e) {
            throw new IllegalStateException("test manager cannot start under " + topology.prefix(), e);
        }
    }

    /** Grants every claim: a new owner gets the next epoch, the owner claiming again keeps its epoch. */
    public TestManager grantAll() {
        rule = claim -> {
            long epoch = grants.compute(claim.jobId(), (id, was) -> was == null ? new Grant(claim.nodeId(), 1)
                    : was.owner().equals(claim.nodeId()) ? was : new Grant(claim.nodeId(), was.epoch() + 1)).epoch();
            ToNode.Grant grant = new ToNode.Grant(claim.jobId(), epoch, claim.claim());
            StoredCheckpoint checkpoint = checkpoints.get(claim.jobId());
            return Optional.of(checkpoint == null ? grant : grant.withCheckpoint(checkpoint.state(), checkpoint.at()));
        };
        return this;
    }

    /**
     * Grants the job to another, made-up incarnation under the next epoch, as a manager does after a failover: the
     * runs of its former owner are stale from now on, and their checkpoints refused.
     */
    public void grantElsewhere(UUID jobId) {
        grants.compute(jobId, (id, was) -> new Grant(UUID.randomUUID(), was == null ? 1 : was.epoch() + 1));
    }

    /**
     * Calls {@code reaction} with every end report as it arrives, on the consumer's thread: the fastest a manager
     * can act on an end (a restart publishes the job's next message at once).
     */
    public TestManager onEnd(Consumer<ToManager.JobEnded> reaction) {
        onEnd = reaction;
        return this;
    }

    /** Leaves checkpoints unanswered, like a manager that is down. */
    public TestManager silentOnCheckpoints() {
        answersCheckpoints = false;
        return this;
    }

    /** The job's last stored checkpoint; empty before the first. */
    public Optional<JsonNode> checkpointOf(UUID jobId) {
        return Optional.ofNullable(checkpoints.get(jobId)).map(StoredCheckpoint::state);
    }

    public TestManager dropAll(String reason) {
        rule = claim -> Optional.of(new ToNode.Drop(claim.jobId(), reason, claim.claim()));
        return this;
    }

    public TestManager waitAll() {
        rule = claim -> Optional.of(new ToNode.Wait(claim.jobId(), UUID.randomUUID(), claim.claim()));
        return this;
    }

    /**
     * Answers like a manager that predates claim ids and batches: the replies name no claim, so nodes keep
     * claiming one job per message.
     */
    public TestManager withoutClaimIds() {
        namesClaimIds = false;
        return this;
    }

    /** The claims received one per message (not in a batch), in order. */
    public List<ToManager.Claim> singleClaims() {
        return List.copyOf(singleClaims);
    }

    /** The batches of claims received, in order. */
    public List<ToManager.Claims> batches() {
        return received(ToManager.Claims.class);
    }

    /** Answers nothing, like a manager that is down. */
    public TestManager silent() {
        rule = claim -> Optional.empty();
        return this;
    }

    /** Sends to one node incarnation's control queue. */
    public void send(UUID nodeId, ToNode message) {
        publish(Topology.nodeRoutingKey(nodeId), message);
    }

    /** Sends to every node, as cancels go. */
    public void broadcast(ToNode message) {
        publish(Topology.BROADCAST_KEY, message);
    }

    public <T extends ToManager> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<ToManager.Claim> claims(UUID jobId) {
        return received(ToManager.Claim.class).stream().filter(c -> c.jobId().equals(jobId)).toList();
    }

    public List<ToManager.JobEnded> ends(UUID jobId) {
        return received(ToManager.JobEnded.class).stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    /**
     * True once a full snapshot of {@code nodeId} that arrived after {@code message} shows it no longer holds the
     * job (a partial one leaves out jobs without news, so only a full one can show that).
     */
    public boolean releasedAfter(ToManager message, UUID nodeId, UUID jobId) {
        List<ToManager> all = List.copyOf(received);
        return all.subList(all.indexOf(message) + 1, all.size()).stream()
                .anyMatch(m -> m instanceof ToManager.Snapshot s && s.nodeId().equals(nodeId) && s.full()
                        && s.jobs().stream().noneMatch(j -> j.jobId().equals(jobId)));
    }

    /**
     * The job as {@code nodeId}'s snapshots show it now: its entry in the newest snapshot that lists it, unless a
     * newer full snapshot leaves it out (a partial one lists only the jobs with news).
     */
    public Optional<ToManager.SnapshotEntry> heldIn(UUID nodeId, UUID jobId) {
        List<ToManager.Snapshot> snapshots = received(ToManager.Snapshot.class).stream()
                .filter(s -> s.nodeId().equals(nodeId)).toList();
        for (ToManager.Snapshot snapshot : snapshots.reversed()) {
            Optional<ToManager.SnapshotEntry> entry = snapshot.jobs().stream().filter(j -> j.jobId().equals(jobId))
                    .findFirst();
            if (entry.isPresent() || snapshot.full()) {
                return entry;
            }
        }
        return Optional.empty();
    }

    /**
     * A batch is recorded as the single claims it holds, and answered by one {@link ToNode.Decisions}, as the real
     * manager does.
     */
    private void onMessage(ToManager message) {
        switch (message) {
            case ToManager.Claim claim -> {
                received.add(claim);
                singleClaims.add(claim);
                rule.apply(claim).map(this::asThisManagerWould).ifPresent(answer -> send(claim.nodeId(), answer));
            }
            case ToManager.Claims batch -> {
                received.add(batch);
                List<ToNode> answers = new ArrayList<>();
                for (ToManager.Claimed claimed : batch.claims()) {
                    ToManager.Claim claim = new ToManager.Claim(claimed.jobId(), batch.nodeId(), claimed.claim());
                    received.add(claim);
                    rule.apply(claim).ifPresent(answers::add);
                }
                if (!answers.isEmpty()) {
                    send(batch.nodeId(), decisions(batch.batch(), answers));
                }
            }
            case ToManager.Checkpoint checkpoint -> {
                received.add(checkpoint);
                if (answersCheckpoints) {
                    send(checkpoint.nodeId(), store(checkpoint));
                }
            }
            case ToManager.JobEnded end -> {
                received.add(end);
                onEnd.accept(end);
            }
            default -> received.add(message);
        }
    }

    /** Stores the checkpoint when it comes from the job's current grant, as the real manager does. */
    private ToNode.CheckpointReply store(ToManager.Checkpoint checkpoint) {
        Grant current = grants.get(checkpoint.jobId());
        boolean stored = current != null && current.owner().equals(checkpoint.nodeId())
                && current.epoch() == checkpoint.epoch();
        if (stored) {
            checkpoints.put(checkpoint.jobId(), new StoredCheckpoint(checkpoint.state(), Instant.now()));
        }
        return new ToNode.CheckpointReply(checkpoint.jobId(), checkpoint.checkpoint(), stored,
                stored ? null : "stale run: the job is granted to " + current);
    }

    private ToNode asThisManagerWould(ToNode answer) {
        if (namesClaimIds) {
            return answer;
        }
        return switch (answer) {
            case ToNode.Grant grant -> new ToNode.Grant(grant.jobId(), grant.epoch(), 0L);
            case ToNode.Drop drop -> new ToNode.Drop(drop.jobId(), drop.reason(), 0L);
            case ToNode.Wait wait -> new ToNode.Wait(wait.jobId(), wait.ownerId(), 0L);
            default -> answer;
        };
    }

    private static ToNode.Decisions decisions(long batch, List<ToNode> answers) {
        return new ToNode.Decisions(batch,
                answers.stream().filter(ToNode.Grant.class::isInstance).map(ToNode.Grant.class::cast).toList(),
                answers.stream().filter(ToNode.Drop.class::isInstance).map(ToNode.Drop.class::cast).toList(),
                answers.stream().filter(ToNode.Wait.class::isInstance).map(ToNode.Wait.class::cast).toList());
    }

    private synchronized void publish(String routingKey, ToNode message) {
        try {
            // named as the sender, as a manager's messages are: nodes take only the managers' users' messages
            publisher.basicPublish(topology.controlExchange(), routingKey,
                    MessageProperties.BASIC.builder().userId(TestServices.get().broker().user()).build(),
                    codec.encode(message));
        } catch (Exception e) {
            throw new IllegalStateException("test manager cannot send " + message, e);
        }
    }

    @Override
    public void close() {
        connection.abort();
    }
}
