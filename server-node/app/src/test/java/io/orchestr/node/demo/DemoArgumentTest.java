package io.orchestr.node.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoArgumentTest {

    @Test
    void pairsAreSplitOnSemicolonsAndEqualsSigns() {
        DemoArgument argument = DemoArgument.parse("file=/tmp/t.log; tickMillis = 200;;");

        assertThat(argument.value("file")).contains("/tmp/t.log");
        assertThat(argument.number("tickMillis", 500)).isEqualTo(200);
        assertThat(argument.number("ticks", 7)).isEqualTo(7);
    }

    @Test
    void anEmptyArgumentHasNoValues() {
        assertThat(DemoArgument.parse("").values()).isEmpty();
    }

    @Test
    void aPairWithoutKeyOrANonNumberIsRefusedWithTheText() {
        assertThatThrownBy(() -> DemoArgument.parse("file"))
                .hasMessageContaining("has 'file', expected key=value pairs separated by ';'");
        assertThatThrownBy(() -> DemoArgument.parse("ticks=many").number("ticks", 1))
                .hasMessageContaining("ticks=many is not a whole number");
    }
}
