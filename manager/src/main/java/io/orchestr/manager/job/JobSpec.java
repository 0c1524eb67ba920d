package io.orchestr.manager.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.shared.Limits;
import io.orchestr.shared.Names;
import io.orchestr.shared.RestartMode;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.PipelineParams;
import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.work.WorkParser;
import io.orchestr.shared.work.WorkSpecException;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A new job as asked for, checked and with its defaults filled in. {@code maxRestarts}, {@code heartbeatTimeout},
 * {@code params} and {@code timeout} stay null when not asked for: no limit, no timeout, no params; {@code sticky}
 * is false unless asked for.
 */
record JobSpec(String name, String argument, String type, String pool, RestartMode restart, Integer maxRestarts,
               Duration heartbeatTimeout, JsonNode params, Duration timeout, String group, Integer index,
               UUID parentId, String concurrencyKey, Integer concurrencyLimit, boolean sticky) {
    static final int MAX_ARGUMENT_LENGTH = 1_000_000;
    /** Nodes look for hung runs once per snapshot interval (1 s by default): a shorter timeout could not be kept. */
    static final Duration MIN_HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofDays(1);
    /** Nodes look for runs past their timeout at every heartbeat tick too. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_TIMEOUT = Duration.ofDays(365);
    private static final WireCodec JSON = new WireCodec();

    /**
     * Checks {@code job} and applies the defaults (argument empty, type {@code default}, pool {@code default},
     * restart {@code on-failure}, {@code never} for a pipeline and an {@code exec} job, no maximum of restarts, no
     * timeouts, no params). The params of an {@code exec} job must be its work ({@link WorkParser}).
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
        if (Names.hasControlOrFormat(name)) {
            throw new InvalidRequestException("name",
                    "name must not hold control or format characters (CR, LF, NUL, bidi overrides, zero-width...)");
        }
        String argument = job.argument() == null ? "" : job.argument();
        if (argument.length() > MAX_ARGUMENT_LENGTH) {
            throw new InvalidRequestException("argument",
                    "argument must be at most " + MAX_ARGUMENT_LENGTH + " characters");
        }
        String type = job.type() == null ? Names.DEFAULT_TYPE : job.type();
        if (!Names.isValidType(type)) {
            throw new InvalidRequestException("type", "type must be " + Names.TYPE_RULE);
        }
        String pool = job.pool() == null ? Names.DEFAULT_POOL : job.pool();
        if (!Names.isValidPool(pool)) {
            throw new InvalidRequestException("pool", "pool must be " + Names.POOL_RULE);
        }
        boolean exec = Names.EXEC_TYPE.equals(type);
        // a command is not known to be safe to run twice: it runs again only when its job says so; a pipeline is
        // Failed by a failing child: a restarted one would find that child failed and fail again
        RestartMode restart = job.restart() == null
                ? exec || PipelineParams.TYPE.equals(type) ? RestartMode.NEVER : RestartMode.ON_FAILURE
                : RestartMode.fromWireName(job.restart()).orElseThrow(() -> new InvalidRequestException("restart",
                        "restart must be one of on-failure, always, never"));
        Integer maxRestarts = job.maxRestarts();
        if (maxRestarts != null && maxRestarts < 0) {
            throw new InvalidRequestException("maxRestarts", "maxRestarts must be 0 or more, got " + maxRestarts);
        }
        JsonNode params = WireCodec.orNull(job.params());
        int paramsSize = params == null ? 0 : JSON.encodedSize(params);
        if (paramsSize > Limits.PARAMS) {
            throw new InvalidRequestException("params", "params must be at most " + Limits.PARAMS
                    + " bytes of JSON, got " + paramsSize);
        }
        if (exec) {
            checkWork(params);
        }
        String group = label("group", job.group());
        if (job.index() != null && job.index() < 0) {
            throw new InvalidRequestException("index", "index must be 0 or more, got " + job.index());
        }
        if (job.index() != null && group == null) {
            throw new InvalidRequestException("index", "index is a place in a group: give a group too");
        }
        String concurrencyKey = label("concurrencyKey", job.concurrencyKey());
        Integer concurrencyLimit = job.concurrencyLimit();
        if (concurrencyLimit != null && concurrencyKey == null) {
            throw new InvalidRequestException("concurrencyLimit", "concurrencyLimit is the limit of a concurrency key:"
                    + " give a concurrencyKey too");
        }
        if (concurrencyLimit != null && concurrencyLimit < 1) {
            throw new InvalidRequestException("concurrencyLimit", "concurrencyLimit must be 1 or more, got "
                    + concurrencyLimit);
        }
        if (concurrencyKey != null && concurrencyLimit == null) {
            concurrencyLimit = 1;
        }
        return new JobSpec(name, argument, type, pool, restart, maxRestarts,
                duration("heartbeatTimeout", job.heartbeatTimeout(), MIN_HEARTBEAT_TIMEOUT, MAX_HEARTBEAT_TIMEOUT),
                params, duration("timeout", job.timeout(), MIN_TIMEOUT, MAX_TIMEOUT), group, job.index(),
                job.parentId(), concurrencyKey, concurrencyLimit, Boolean.TRUE.equals(job.sticky()));
    }

    /** A {@code group} or {@code concurrencyKey}: null, or 1 to 200 characters that a log line shows as they are. */
    private static String label(String field, String value) {
        if (value != null && (value.isBlank() || value.length() > Limits.JOB_NAME || Names.hasControlOrFormat(value))) {
            throw new InvalidRequestException(field, field + " must be 1 to " + Limits.JOB_NAME + " characters, not"
                    + " blank, without control or format characters");
        }
        return value;
    }

    /** This job at {@code place} in its group: the place a batch gave it. */
    JobSpec numbered(int place) {
        return new JobSpec(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                place, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** The roles the work of this {@code exec} job names, each with the field that names it first; none else. */
    Map<String, String> execRoles() {
        return Names.EXEC_TYPE.equals(type) ? WorkParser.roleFields(params) : Map.of();
    }

    /**
     * The name of the child job that plays {@code role} of this job's work: the job's name, a slash, the role
     * (docs/architecture.md, "Roles").
     */
    String roleRunName(String role) {
        return name + "/" + role;
    }

    /** Refuses {@code params} that describe no work, naming the field at fault. */
    private static void checkWork(JsonNode params) {
        try {
            WorkParser.parse(params);
        } catch (WorkSpecException e) {
            throw new InvalidRequestException(e.field(), "an exec job's " + e.getMessage());
        }
    }

    private static Duration duration(String field, Duration value, Duration min, Duration max) {
        if (value == null) {
            return null;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidRequestException(field, field + " must be between " + min + " and " + max + ", got "
                    + value);
        }
        if (value.getNano() % 1_000_000 != 0) {
            // the database keeps milliseconds; what the API answers must be what it stores
            throw new InvalidRequestException(field, field + " must be whole milliseconds, got " + value);
        }
        return value;
    }
}
