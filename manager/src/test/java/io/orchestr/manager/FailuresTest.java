package io.orchestr.manager;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void aDeadlockAnywhereInTheCauseChainIsRecognised() {
        SQLException deadlock = new SQLTransactionRollbackException(
                "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
        RuntimeException wrapped = new RuntimeException("Could not commit transaction",
                new IllegalStateException("could not execute statement", deadlock));

        assertThat(Failures.isDeadlock(wrapped)).isTrue();
        assertThat(Failures.isDeadlock(new SQLException("Lock wait timeout exceeded", "HY000", 1205))).isTrue();
    }

    @Test
    void otherDatabaseErrorsAreNotDeadlocks() {
        assertThat(Failures.isDeadlock(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
        assertThat(Failures.isDeadlock(new RuntimeException("no cause"))).isFalse();
    }
}
