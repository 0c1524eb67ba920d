package io.orchestr.shared;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceWaitTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final ServiceWait wait = new ServiceWait("the broker at 127.0.0.1:5672", lines::add, lines::add, pause -> {
        pauses.add(pause);
        clock.addAndGet(pause.toMillis());
    }, clock::get);

    @Test
    void aServiceThatAnswersAtOnceIsNeitherWaitedForNorMentioned() throws InterruptedException {
        assertThat(wait.until(() -> "up")).isEqualTo("up");

        assertThat(lines).isEmpty();
        assertThat(pauses).isEmpty();
    }

    @Test
    void itTriesAgainWithGrowingJitteredPausesUpToFifteenSeconds() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();

        String answer = wait.until(() -> {
            if (calls.incrementAndGet() < 12) {
                throw new ConnectException("Connection refused");
            }
            return "up";
        });

        assertThat(answer).isEqualTo("up");
        assertThat(pauses).hasSize(11);
        long upper = 500;
        for (Duration pause : pauses) {
            assertThat(pause.toMillis()).as("a pause of the upper half of %d ms", upper).isBetween(upper / 2, upper);
            upper = Math.min(upper * 2, 15_000);
        }
    }

    @Test
    void itSaysWhatItWaitsForAtOnceThenAtMostEveryThirtySecondsAndWhenItIsDone() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();

        wait.until(() -> {
            if (calls.incrementAndGet() < 20) {
                throw new IOException("Connection refused");
            }
            return null;
        });

        assertThat(lines.getFirst()).startsWith("Waiting for the broker at 127.0.0.1:5672 (")
                .contains("Connection refused").endsWith("not ready meanwhile");
        assertThat(lines.subList(1, lines.size() - 1)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("Still waiting for the broker"));
        // 19 failures over some 200 s of pauses: far fewer lines than attempts
        assertThat(lines.size() - 2).isLessThanOrEqualTo((int) (clock.get() / 30_000) + 1);
        assertThat(lines.getLast()).startsWith("Done waiting for the broker at 127.0.0.1:5672: it answers after")
                .endsWith("20 attempts");
    }
}
