package io.orchestr.manager;

import com.rabbitmq.client.ShutdownSignalException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Tells outages of the database or broker (expected, temporary) from other failures (bugs). */
public final class Failures {
    /** Agroal's words when no connection could be had in time; it sets no SQL state. */
    private static final String POOL_TIMEOUT = "acquisition timeout";
    /** SQL states of class 08 are connection exceptions. */
    private static final String CONNECTION_STATE_CLASS = "08";
    private static final int MYSQL_DEADLOCK = 1213;
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

    private Failures() {
    }

    /** True when {@code failure} comes from a database that cannot be reached. */
    public static boolean isDatabaseDown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && (startsWith(sql.getSQLState(), CONNECTION_STATE_CLASS)
                    || sql.getMessage() != null && sql.getMessage().contains(POOL_TIMEOUT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the database gave up a transaction to break a deadlock or a lock wait (SQL state 40001 or
     * MySQL error 1213/1205): running the transaction again is the documented remedy.
     */
    public static boolean isDeadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || sql.getErrorCode() == MYSQL_DEADLOCK || sql.getErrorCode() == MYSQL_LOCK_WAIT_TIMEOUT)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code failure} comes from a database or broker that cannot be reached. */
    public static boolean isOutage(Throwable failure) {
        if (isDatabaseDown(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof BrokerException || cause instanceof ShutdownSignalException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }

    private static boolean startsWith(String value, String prefix) {
        return value != null && value.startsWith(prefix);
    }
}
