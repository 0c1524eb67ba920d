package io.orchestr.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {

    @Test
    void percentilesOfOneToAHundredAreTheNearestRanks() {
        List<Integer> samples = IntStream.rangeClosed(1, 100).boxed().toList().reversed();

        Stats stats = Stats.of(samples);

        assertThat(stats).isEqualTo(new Stats(100, 1, 50, 99, 100));
    }

    @Test
    void withFewerThanAHundredSamplesP99IsTheMaximum() {
        Stats stats = Stats.of(List.of(3.0, 1.0, 2.0, 10.0));

        assertThat(stats.p99()).isEqualTo(10.0);
        assertThat(stats.median()).isEqualTo(2.0);
    }

    @Test
    void oneSampleIsEveryFigure() {
        assertThat(Stats.of(List.of(7.5))).isEqualTo(new Stats(1, 7.5, 7.5, 7.5, 7.5));
    }

    @Test
    void p99OfAThousandSamplesIsThe990th() {
        List<Integer> samples = IntStream.rangeClosed(1, 1000).boxed().toList();

        assertThat(Stats.of(samples).p99()).isEqualTo(990.0);
    }

    @Test
    void noSamplesAreRejected() {
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
