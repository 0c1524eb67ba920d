package io.orchestr.manager.job;

import io.orchestr.manager.Failures;
import io.orchestr.shared.Causes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import java.util.concurrent.Callable;

/** Runs a request's transaction again when the database broke a deadlock by rolling it back. */
final class Transactions {
    private static final Logger LOG = Logger.getLogger(Transactions.class);
    private static final int ATTEMPTS = 3;

    private Transactions() {
    }

    /** Runs {@code work} in a new transaction, up to three times while the database reports a deadlock. */
    static <T> T retryingDeadlocks(Callable<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !Failures.isDeadlock(e)) {
                    throw e;
                }
                LOG.debugf("Deadlock on attempt %d, running the transaction again: %s", attempt, Causes.describe(e));
            }
        }
    }
}
