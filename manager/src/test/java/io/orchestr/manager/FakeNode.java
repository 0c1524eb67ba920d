package io.orchestr.manager;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.JobMessage;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.shared.wire.ToNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * A test playing a node incarnation on a broker connection of its own: it declares its control queue, sends
 * what a node sends to the manager queue, and collects what the managers send it.
 */
final class FakeNode implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    final UUID id = UUID.randomUUID();
    private final Topology topology;
    private final WireCodec codec = new WireCodec();
    private final Connection connection;
    private final Channel channel;
    private final List<ToNode> inbox = new CopyOnWriteArrayList<>();
    /** The job messages the managers put on this node's own queue (a move). */
    private final List<JobMessage> placed = new CopyOnWriteArrayList<>();
    private final AtomicLong lastClaimId = new AtomicLong();

    private FakeNode(Topology topology) throws IOException, TimeoutException {
        this.topology = topology;
        connection = TestBroker.connect("fake-node-" + id);
        channel = connection.createChannel();
        channel.confirmSelect();
        topology.declareNodeQueue(channel, id);
        channel.basicConsume(topology.nodeQueue(id), true,
                (tag, delivery) -> inbox.add(codec.decodeToNode(delivery.getBody())), tag -> { });
        topology.declarePlacedQueue(channel, id);
        channel.basicConsume(topology.placedQueue(id), true,
                (tag, delivery) -> placed.add(codec.decodeJob(delivery.getBody())), tag -> { });
    }

    static FakeNode start(Topology topology) {
        try {
            return new FakeNode(topology);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot start a fake node", e);
        }
    }

    /** Sends to the queue a node sends that message to: batches to the claims queue, the rest to the manager's. */
    void send(ToManager message) {
        publish(message instanceof ToManager.Claims ? topology.claimsQueue() : topology.managerQueue(),
                codec.encode(message));
    }

    /** Publishes {@code body} to the manager queue as it is, confirmed. */
    void sendRaw(byte[] body) {
        publish(topology.managerQueue(), body);
    }

    /** Synchronized: a test may report from a thread of its own while it claims, on the one channel. */
    private synchronized void publish(String queue, byte[] body) {
        try {
            channel.basicPublish("", queue,
                    new AMQP.BasicProperties.Builder().contentType(WireCodec.CONTENT_TYPE).build(), body);
            channel.waitForConfirmsOrDie(DEADLINE.toMillis());
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to the manager queue", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Claims the job as a new delivery, under a claim id of its own; returns that id. */
    long claim(UUID jobId) {
        long claimId = lastClaimId.incrementAndGet();
        send(new ToManager.Claim(jobId, id, claimId));
        return claimId;
    }

    /** Claims these jobs in one batch, each under a claim id of its own; returns the ids by job. */
    Map<UUID, Long> claimBatch(long batch, List<UUID> jobIds) {
        Map<UUID, Long> claims = new LinkedHashMap<>();
        jobIds.forEach(job -> claims.put(job, lastClaimId.incrementAndGet()));
        send(new ToManager.Claims(id, batch, claims.entrySet().stream()
                .map(claim -> new ToManager.Claimed(claim.getKey(), claim.getValue())).toList()));
        return claims;
    }

    /** Waits for the decisions of this batch, and takes them out of the inbox. */
    ToNode.Decisions decisions(long batch) {
        ToNode.Decisions decisions = await("the decisions of batch " + batch + " at node " + id).atMost(DEADLINE)
                .until(() -> inbox.stream().filter(ToNode.Decisions.class::isInstance).map(ToNode.Decisions.class::cast)
                        .filter(d -> d.batch() == batch).findFirst(), Optional::isPresent)
                .orElseThrow();
        inbox.remove(decisions);
        return decisions;
    }

    /** Claims the job and waits for its grant. */
    ToNode.Grant claimGranted(UUID jobId) {
        claim(jobId);
        return received(ToNode.Grant.class, jobId);
    }

    /**
     * Leaves cleanly, as a node's {@code close()} does, and waits until the manager shows the job it owned
     * handed back ({@code Queued}, owner kept).
     */
    void leave(UUID ownedJob) {
        send(new ToManager.NodeLeft(id));
        Api.awaitStatus(ownedJob, JobStatus.Queued);
    }

    /** Reports itself with {@code slots} slots in {@code pool}, holding nothing, as a node's snapshot does. */
    void report(int slots, String pool) {
        send(new ToManager.Snapshot(id, "fake-" + id, slots, List.of(pool), Instant.now(), List.of()));
    }

    /**
     * Reports itself as a node that runs {@code exec} jobs, serving {@code roles} (none: every role), with
     * {@code slots} slots in {@code pool}, holding nothing.
     */
    void reportExec(int slots, String pool, List<String> roles) {
        send(new ToManager.Snapshot(id, "fake-exec-" + id, slots, List.of(pool), Instant.now(), List.of(), true, 0,
                null, true, roles));
    }

    /** Reports itself as a node that has handlers for {@code types}, with {@code slots} slots in {@code pool}. */
    void reportTypes(int slots, String pool, List<String> types) {
        send(new ToManager.Snapshot(id, "fake-typed-" + id, slots, List.of(pool), Instant.now(), List.of(), true, 0,
                null, false, List.of(), types));
    }

    /** Reports that it stopped the job's run under {@code epoch} as the managers asked, as a node's release does. */
    void released(UUID jobId, long epoch) {
        send(new ToManager.JobEnded(jobId, id, epoch, ToManager.Outcome.RELEASED, 0, null));
    }

    /** Waits until the managers put the job on this node's own queue; returns that message, taken off it. */
    JobMessage receivedPlaced(UUID jobId) {
        JobMessage message = await("job " + jobId + " placed on node " + id).atMost(DEADLINE)
                .until(() -> placed.stream().filter(job -> job.jobId().equals(jobId)).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        placed.remove(message);
        return message;
    }

    /** Checks that the managers do not put the job on this node's own queue for a while. */
    void receivesNoPlaced(UUID jobId) {
        await("job " + jobId + " not placed on node " + id).during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> placed.stream().noneMatch(job -> job.jobId().equals(jobId)));
    }

    /** Waits for a message of this kind about this job, and takes it out of the inbox. */
    <T extends ToNode.AboutJob> T received(Class<T> kind, UUID jobId) {
        T message = await("a " + kind.getSimpleName() + " about job " + jobId + " at node " + id)
                .atMost(DEADLINE)
                .until(() -> find(kind, jobId), Optional::isPresent)
                .orElseThrow();
        inbox.remove(message);
        return message;
    }

    /** The output requests received so far, in order; this fake never answers them, as older nodes do not. */
    List<ToNode.Output> outputRequests() {
        return inbox.stream().filter(ToNode.Output.class::isInstance).map(ToNode.Output.class::cast).toList();
    }

    /** The drain asks received so far, in order. */
    List<ToNode.Drain> drainAsks() {
        return inbox.stream().filter(ToNode.Drain.class::isInstance).map(ToNode.Drain.class::cast).toList();
    }

    /** Checks that no message of this kind about this job arrives for a while. */
    void receivesNo(Class<? extends ToNode.AboutJob> kind, UUID jobId) {
        await("no " + kind.getSimpleName() + " about job " + jobId + " at node " + id)
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> find(kind, jobId).isEmpty());
    }

    private <T extends ToNode.AboutJob> Optional<T> find(Class<T> kind, UUID jobId) {
        return inbox.stream().filter(kind::isInstance).map(kind::cast)
                .filter(message -> message.jobId().equals(jobId)).findFirst();
    }

    /** Closes the connection: the broker deletes the control queue, as when a node dies. */
    @Override
    public void close() {
        try {
            if (connection.isOpen()) {
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
