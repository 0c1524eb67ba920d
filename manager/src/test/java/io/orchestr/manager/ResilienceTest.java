package io.orchestr.manager;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import io.orchestr.shared.wire.ToManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.orchestr.manager.Api.createJob;
import static io.orchestr.manager.Api.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Messages the manager cannot read or cannot apply, and jobs whose message was never published. */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ResilienceTest {

    @Inject
    Topology topology;

    @Inject
    MeterRegistry registry;

    @Test
    void anUnreadableMessageIsDeadLetteredAndTheManagerKeepsWorking() throws Exception {
        UUID job = createJob(uniqueName("after-garbage"));
        try (FakeNode node = FakeNode.start(topology);
             Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {

            node.sendRaw("{\"kind\": \"claim\", \"jobId\": 42".getBytes(StandardCharsets.UTF_8));

            GetResponse dead = await("the unreadable message in " + topology.deadLetterQueue())
                    .atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(topology.deadLetterQueue(), true), response -> response != null);
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).startsWith("{\"kind\": \"claim\"");
            assertThat(node.claimGranted(job).epoch()).isEqualTo(1);
        }
    }

    @Test
    void aMessageWhoseHandlingKeepsFailingIsDeadLetteredAfterFiveAttempts() throws Exception {
        UUID job = unmappableJob();
        try (FakeNode node = FakeNode.start(topology);
             Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {

            long claim = node.claim(job);

            // four attempts with a 1 s pause after each, then the dead-letter queue
            GetResponse dead = await("the claim of job " + job + " in " + topology.deadLetterQueue())
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> channel.basicGet(topology.deadLetterQueue(), true), response -> response != null);
            assertThat(new WireCodec().decodeToManager(dead.getBody()))
                    .isEqualTo(new ToManager.Claim(job, node.id, claim));
        }
    }

    @Test
    void aSnapshotThatFailsToApplyIsDroppedNotRetried() {
        UUID job = unmappableJob();
        Timer applied = registry.timer("orchestr.snapshots.applied");
        long before = applied.count();
        try (FakeNode node = FakeNode.start(topology)) {

            node.send(new ToManager.Snapshot(node.id, "failing", 1, List.of("default"), Instant.now(),
                    List.of(new ToManager.SnapshotEntry(job, 1, ToManager.HeldState.RUNNING, Instant.now(), 0, null))));

            await("one attempt to apply the snapshot").atMost(FakeNode.DEADLINE).until(() -> applied.count() > before);
            await("no second attempt").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> applied.count() == before + 1);
        }
    }

    /** A job whose row the manager cannot read: every message about it fails to apply, for the same reason. */
    private static UUID unmappableJob() {
        UUID job = createJob(uniqueName("unmappable"));
        QuarkusTransaction.requiringNew().run(() -> JobEntity.getEntityManager()
                .createNativeQuery("UPDATE job SET status = 'Unmappable' WHERE id = ?1")
                .setParameter(1, job.toString()).executeUpdate());
        return job;
    }

    @Test
    void aJobLeftUnpublishedIsPublishedByTheRepublisher() throws Exception {
        // as if a manager had died between committing the job and publishing it
        JobEntity job = JobEntity.queued(uniqueName("orphan"), "", "default", "republished", RestartMode.ON_FAILURE,
                Instant.now().minusSeconds(60));
        QuarkusTransaction.requiringNew().run(job::persist);

        try (Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {
            topology.declareJobQueue(channel, "republished");
            GetResponse published = await("job " + job.id + " on " + topology.jobQueue("republished"))
                    .atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(topology.jobQueue("republished"), true),
                            response -> response != null);
            assertThat(new WireCodec().decodeJob(published.getBody()).jobId()).isEqualTo(job.id);
        }
        await("job " + job.id + " marked published").atMost(FakeNode.DEADLINE).until(() -> QuarkusTransaction
                .requiringNew().call(() -> Optional.ofNullable(JobEntity.<JobEntity>findById(job.id))
                        .map(stored -> stored.published).orElse(false)));
    }

    /** Generous: a bound on correctness under load, not a speed; bench/ measures speeds. */
    private static final Duration BULK_DEADLINE = Duration.ofSeconds(60);

    @Test
    void moreUnpublishedJobsThanOneBatchAreAllRepublished() throws Exception {
        Instant longAgo = Instant.now().minusSeconds(60);
        List<JobEntity> jobs = IntStream.range(0, 1_500).mapToObj(i -> JobEntity.queued(uniqueName("orphans-" + i),
                "", "default", "orphans", RestartMode.ON_FAILURE, longAgo)).toList();
        QuarkusTransaction.requiringNew().run(() -> jobs.forEach(job -> job.persist()));

        try (Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {
            topology.declareJobQueue(channel, "orphans");
            await("1,500 jobs on " + topology.jobQueue("orphans")).atMost(BULK_DEADLINE)
                    .until(() -> channel.messageCount(topology.jobQueue("orphans")) >= jobs.size());
        }
        Set<UUID> ids = jobs.stream().map(job -> job.id).collect(Collectors.toSet());
        await("1,500 jobs marked published").atMost(BULK_DEADLINE).until(() -> QuarkusTransaction
                .requiringNew().call(() -> JobEntity.<JobEntity>list("id in ?1 and published = true", ids).size())
                == jobs.size());
    }

    @Test
    void aJobWhosePoolsQueueCannotBeDeclaredDoesNotHoldUpTheOtherUnpublishedJobs() throws Exception {
        Instant longAgo = Instant.now().minusSeconds(60);
        // the oldest, so the first of the republisher's batch
        JobEntity poisoned = JobEntity.queued(uniqueName("poisoned"), "", "default", "poisoned",
                RestartMode.ON_FAILURE, longAgo.minusSeconds(1));
        List<JobEntity> healthy = IntStream.range(0, 5).mapToObj(i -> JobEntity.queued(uniqueName("healthy-" + i),
                "", "default", "healthy", RestartMode.ON_FAILURE, longAgo)).toList();
        try (Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {
            // not durable: the broker refuses the manager's declaration of the pool's queue
            channel.queueDeclare(topology.jobQueue("poisoned"), false, false, false, null);
            topology.declareJobQueue(channel, "healthy");
            QuarkusTransaction.requiringNew().run(() -> {
                poisoned.persist();
                healthy.forEach(job -> job.persist());
            });

            await("5 jobs on " + topology.jobQueue("healthy")).atMost(BULK_DEADLINE)
                    .until(() -> channel.messageCount(topology.jobQueue("healthy")) >= healthy.size());
            assertThat(QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(poisoned.id)
                    .published)).as("the job whose queue cannot be declared").isFalse();

            QuarkusTransaction.requiringNew().run(() -> JobEntity.deleteById(poisoned.id));
            channel.queueDelete(topology.jobQueue("poisoned"));
        }
    }

    @Test
    void aJobCreatedAfterItsQueueWasDeletedIsPublishedToTheQueueDeclaredAgain() throws Exception {
        String pool = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = topology.jobQueue(pool);
        try (Connection connection = TestBroker.connect("resilience-test");
             Channel channel = connection.createChannel()) {
            UUID first = createJob(uniqueName("before-delete"), pool);
            await("job " + first + " on " + queue).atMost(FakeNode.DEADLINE)
                    .until(() -> channel.basicGet(queue, true), response -> response != null);
            channel.queueDelete(queue);

            // the manager declared this pool's queue already; the broker drops what goes to a missing queue
            UUID second = createJob(uniqueName("after-delete"), pool);

            // a channel per look: looking into a missing queue closes the channel
            GetResponse published = await("job " + second + " on " + queue + ", declared again")
                    .atMost(FakeNode.DEADLINE).ignoreExceptions()
                    .until(() -> {
                        try (Channel look = connection.createChannel()) {
                            return look.basicGet(queue, true);
                        }
                    }, response -> response != null);
            assertThat(new WireCodec().decodeJob(published.getBody()).jobId()).isEqualTo(second);
        }
    }
}
