package io.orchestr.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {
    @Test
    void columnsAreAlignedUnderACapitalHeaderAndMissingCellsShowADash() {
        String table = new Table("name", "status").row("sync-orders", "Processing").row("x", null).render();

        assertThat(table).isEqualTo("""
                NAME         STATUS
                sync-orders  Processing
                x            -
                """);
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> new Table("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells under 2 columns");
    }
}
