package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.api.NewJob;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A new job as asked for, checked and with its defaults filled in. {@code maxRestarts} and
 * {@code heartbeatTimeout} stay null when not asked for: no limit, no timeout.
 */
record JobSpec(String name, String argument, String type, String pool, RestartMode restart, Integer maxRestarts,
               Duration heartbeatTimeout) {
    static final int MAX_ARGUMENT_LENGTH = 1_000_000;
    /** Nodes look for hung runs once per snapshot interval (1 s by default): a shorter timeout could not be kept. */
    static final Duration MIN_HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofDays(1);
    /** 1 to 100 characters, no spaces or control characters: types are handler names, shown in logs. */
    private static final Pattern TYPE = Pattern.compile("[^\\s\\p{Cntrl}]{1,100}");

    /**
     * Checks {@code job} and applies the defaults (argument empty, type {@code default}, pool {@code default},
     * restart {@code on-failure}, no maximum of restarts, no heartbeat timeout).
     *
     * @throws InvalidRequestException naming the first field at fault
     */
    static JobSpec of(NewJob job) {
        String name = job.name();
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("name", "name is required and must not be blank");
        }
        if (name.length() > Limits.JOB_NAME) {
            throw new InvalidRequestException("name", "name must be at most " + Limits.JOB_NAME + " characters");
        }
        String argument = job.argument() == null ? "" : job.argument();
        if (argument.length() > MAX_ARGUMENT_LENGTH) {
            throw new InvalidRequestException("argument",
                    "argument must be at most " + MAX_ARGUMENT_LENGTH + " characters");
        }
        String type = job.type() == null ? Names.DEFAULT_TYPE : job.type();
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("type",
                    "type must be 1 to 100 characters without spaces or control characters");
        }
        String pool = job.pool() == null ? Names.DEFAULT_POOL : job.pool();
        if (!Names.isValidPool(pool)) {
            throw new InvalidRequestException("pool", "pool must be " + Names.POOL_RULE);
        }
        RestartMode restart = job.restart() == null ? RestartMode.ON_FAILURE
                : RestartMode.fromWireName(job.restart()).orElseThrow(() -> new InvalidRequestException("restart",
                        "restart must be one of on-failure, always, never"));
        Integer maxRestarts = job.maxRestarts();
        if (maxRestarts != null && maxRestarts < 0) {
            throw new InvalidRequestException("maxRestarts", "maxRestarts must be 0 or more, got " + maxRestarts);
        }
        return new JobSpec(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout(job.heartbeatTimeout()));
    }

    private static Duration heartbeatTimeout(Duration timeout) {
        if (timeout == null) {
            return null;
        }
        if (timeout.compareTo(MIN_HEARTBEAT_TIMEOUT) < 0 || timeout.compareTo(MAX_HEARTBEAT_TIMEOUT) > 0) {
            throw new InvalidRequestException("heartbeatTimeout", "heartbeatTimeout must be between "
                    + MIN_HEARTBEAT_TIMEOUT + " and " + MAX_HEARTBEAT_TIMEOUT + ", got " + timeout);
        }
        if (timeout.getNano() % 1_000_000 != 0) {
            // the database keeps milliseconds; what the API answers must be what it stores
            throw new InvalidRequestException("heartbeatTimeout",
                    "heartbeatTimeout must be whole milliseconds, got " + timeout);
        }
        return timeout;
    }
}
