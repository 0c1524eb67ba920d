package io.orchestr.manager.feed;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The feed's place in the event ids, with the ids that committed after a higher one was read. */
class FeedCursorTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void theIdsSkippedBetweenTwoReadsAreMissingUntilTheyAreRead() {
        FeedCursor cursor = new FeedCursor(10);

        cursor.advance(List.of(11L, 14L, 15L), NOW);

        assertThat(cursor.head()).isEqualTo(15);
        assertThat(cursor.missing()).containsExactlyInAnyOrder(12L, 13L);

        cursor.advance(List.of(13L, 16L), NOW.plusSeconds(1));

        assertThat(cursor.head()).isEqualTo(16);
        assertThat(cursor.missing()).containsExactly(12L);
    }

    @Test
    void aSkippedIdIsForgottenAfterThePatienceAsATransactionThatRolledBack() {
        FeedCursor cursor = new FeedCursor(0);
        cursor.advance(List.of(2L), NOW);

        cursor.advance(List.of(), NOW.plus(FeedCursor.PATIENCE));
        assertThat(cursor.missing()).containsExactly(1L);

        cursor.advance(List.of(), NOW.plus(FeedCursor.PATIENCE).plusMillis(1));
        assertThat(cursor.missing()).isEmpty();
        assertThat(cursor.head()).isEqualTo(2);
    }

    @Test
    void atMostTheNewestThousandSkippedIdsAreRemembered() {
        FeedCursor cursor = new FeedCursor(0);

        cursor.advance(List.of(5_000L), NOW);

        assertThat(cursor.missing()).hasSize(FeedCursor.MAX_MISSING).contains(4_999L).doesNotContain(3_999L);
    }

    @Test
    void anEmptyReadChangesNothing() {
        FeedCursor cursor = new FeedCursor(7);

        cursor.advance(List.of(), NOW);

        assertThat(cursor.head()).isEqualTo(7);
        assertThat(cursor.missing()).isEmpty();
    }
}
