package io.orchestr.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotsTest {

    @Test
    void eachNodeGetsAnEvenShareAndAQuarterMore() {
        assertThat(Slots.perNode(10_000, 2)).isEqualTo(6251);
        assertThat(Slots.perNode(10, 3)).isEqualTo(6);
    }

    @Test
    void noNodeGetsMoreThanTheBrokersLargestPrefetch() {
        assertThat(Slots.perNode(100_000, 1)).isEqualTo(Slots.MAX);
    }
}
