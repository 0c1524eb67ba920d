package io.orchestr.manager.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.wire.ToManager;
import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lane on a real broker channel: what happens to a delivery whose handling fails, to a handling that does not
 * end, and to a lane whose queue is deleted.
 */
class LaneTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final String prefix = TestServices.get().newPrefix("lane");
    private final String queue = prefix + ".manager";
    private final String deadLetters = prefix + ".dead";
    private final WireCodec codec = new WireCodec();
    private Connection connection;
    private Channel channel;

    @BeforeEach
    void declareQueues() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServices.get().broker().uri());
        connection = factory.newConnection("lane-test");
        channel = connection.createChannel();
        channel.queueDeclare(deadLetters, false, false, true, null);
        declareQueue();
    }

    private void declareQueue() throws IOException {
        channel.queueDeclare(queue, false, false, true,
                Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", deadLetters));
    }

    @AfterEach
    void close() throws Exception {
        channel.queueDelete(queue);
        channel.queueDelete(deadLetters);
        connection.close();
    }

    @Test
    void aHandlerThatThrowsAnErrorDoesNotStopTheLaneAndItsMessageIsDeadLetteredAfterTheLimit() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        InboundHandler failing = (message, sender) -> {
            attempts.incrementAndGet();
            throw new AssertionError("a bug in the handler");
        };
        Channel consuming = connection.createChannel();
        consuming.basicConsume(queue, false, new Lane(consuming, queue, codec, failing, new FailedAttempts(2), "",
                lane -> { }));
        ToManager claim = new ToManager.Claim(UUID.randomUUID(), UUID.randomUUID(), 1L);

        channel.basicPublish("", queue, null, codec.encode(claim));

        GetResponse dead = await().atMost(DEADLINE).until(() -> channel.basicGet(deadLetters, true),
                response -> response != null);
        assertThat(codec.decodeToManager(dead.getBody())).isEqualTo(claim);
        assertThat(attempts).hasValue(2);
        assertThat(consuming.isOpen()).as("the lane's channel after the handler's errors").isTrue();
    }

    @Test
    void aLaneIsStuckWhileOneDeliveryIsInHandForLongerThanTheLimitAndNotOnceItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InboundHandler blocking = (message, sender) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Channel consuming = connection.createChannel();
        Lane lane = new Lane(consuming, queue, codec, blocking, new FailedAttempts(2), "", cancelled -> { });
        consuming.basicConsume(queue, false, lane);
        assertThat(lane.stuck(Duration.ZERO)).as("an idle lane").isFalse();

        channel.basicPublish("", queue, null, codec.encode(new ToManager.NodeLeft(UUID.randomUUID())));

        await().atMost(DEADLINE).until(() -> lane.stuck(Duration.ofMillis(200)));
        assertThat(lane.stuck(Duration.ofHours(1))).as("stuck for an hour").isFalse();
        release.countDown();
        await().atMost(DEADLINE).until(() -> !lane.stuck(Duration.ZERO));
    }

    @Test
    void aLaneWhoseQueueIsDeletedIsCancelledAndHandlesMessagesAgainOnceResubscribed() throws Exception {
        List<ToManager> handled = new CopyOnWriteArrayList<>();
        List<Lane> toResubscribe = new CopyOnWriteArrayList<>();
        Channel consuming = connection.createChannel();
        Lane lane = new Lane(consuming, queue, codec, (message, sender) -> handled.add(message), new FailedAttempts(2),
                "", toResubscribe::add);
        consuming.basicConsume(queue, false, lane);

        channel.queueDelete(queue);

        await().atMost(DEADLINE).until(lane::cancelled);
        assertThat(toResubscribe).containsExactly(lane);
        assertThat(consuming.isOpen()).as("the cancelled lane's channel").isTrue();

        declareQueue();
        lane.resubscribe();
        ToManager left = new ToManager.NodeLeft(UUID.randomUUID());
        channel.basicPublish("", queue, null, codec.encode(left));

        await().atMost(DEADLINE).until(() -> handled.contains(left));
        assertThat(lane.cancelled()).isFalse();
    }
}
