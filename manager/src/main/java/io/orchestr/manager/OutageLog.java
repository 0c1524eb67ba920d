package io.orchestr.manager;

import io.orchestr.shared.Causes;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs the failures of a task that repeats every second or so without flooding the log: the first failure at
 * WARN, the repeats at DEBUG, and the recovery at INFO.
 */
public final class OutageLog {
    private final Logger log;
    private final String task;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** @param task what the task does, as a verb phrase ("republish unpublished jobs") */
    public OutageLog(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    /** Runs one round of the task, logging its failure (or its recovery) as this class does. */
    public void run(Runnable task) {
        try {
            task.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    public void failed(Throwable failure) {
        if (!failing.compareAndSet(false, true)) {
            log.debugf("Still cannot %s: %s", task, Causes.describe(failure));
        } else if (Failures.isOutage(failure)) {
            log.warnf("Cannot %s: %s; trying again at every run", task, Causes.describe(failure));
        } else {
            log.warnf(failure, "Cannot %s; trying again at every run", task);
        }
    }

    public void succeeded() {
        if (failing.compareAndSet(true, false)) {
            log.infof("Can %s again", task);
        }
    }
}
