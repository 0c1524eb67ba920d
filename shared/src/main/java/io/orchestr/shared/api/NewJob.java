package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.json.WireCodec;

import java.time.Duration;
import java.util.UUID;

/**
 * The body of {@code POST /api/jobs}, and the options the Java client creates a job with. Only {@code name} is
 * required; null leaves a field to its default.
 *
 * @param name             unique among jobs that are not {@code Deleted}; 1 to 200 characters
 * @param argument         free text handed to the handler; empty by default
 * @param type             which handler runs the job; {@code default} by default
 * @param pool             which nodes may run it; {@code default} by default
 * @param restart          {@code on-failure} (default), {@code always} or {@code never}
 * @param maxRestarts      how often the node may restart the handler before the job ends for good ({@code Failed}
 *                         after a throw, {@code Completed} after a return); 0 or more, no limit by default
 * @param heartbeatTimeout how long a run may go without calling {@code JobContext.heartbeat()} before the node
 *                         stops it as hung and counts a failure (restarted as {@code restart} says); 1 s to 1 day,
 *                         whole milliseconds, none by default. In JSON an ISO-8601 duration such as {@code "PT30S"}
 * @param params           structured input for the handler ({@code JobContext.params(Class)}), any JSON value of at
 *                         most {@link io.orchestr.shared.Limits#PARAMS} bytes; none by default
 * @param timeout          how long one run may last before the node stops it and counts a failure (restarted as
 *                         {@code restart} says); 1 s to 365 days, whole milliseconds, none by default; ISO-8601 in
 *                         JSON
 * @param group            a label the runs of one fan-out share, at most 200 characters; none by default. Bulk
 *                         actions ({@code POST /api/jobs/bulk}) and {@code GET /api/jobs?group=} select by it
 * @param index            the job's place in its group, 0 or more; a batch numbers the jobs of one group that give
 *                         none from 0, in order
 * @param parentId         the job that created this one (a controller's); it must exist
 * @param concurrencyKey   a key whose jobs run at most {@code concurrencyLimit} at once in the whole cluster; the
 *                         others wait {@code Queued}, in creation order, holding no slot. At most 200 characters,
 *                         the rules of {@code group}; none by default
 * @param concurrencyLimit how many jobs of the key may run at once, 1 or more, 1 by default; the key keeps the limit
 *                         of its first active job until no job of the key is active. Only with a key
 * @param sticky           true: rebalancing never moves the job to another node (an operator's move still does);
 *                         false by default
 */
public record NewJob(String name, String argument, String type, String pool, String restart, Integer maxRestarts,
                     @JsonFormat(shape = JsonFormat.Shape.STRING) Duration heartbeatTimeout, JsonNode params,
                     @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, String group, Integer index,
                     UUID parentId, String concurrencyKey, Integer concurrencyLimit, Boolean sticky) {
    private static final WireCodec CODEC = new WireCodec();

    public NewJob {
        params = WireCodec.orNull(params);
    }

    /** A job without a maximum of restarts, timeouts or params. */
    public NewJob(String name, String argument, String type, String pool, String restart) {
        this(name, argument, type, pool, restart, null, null, null, null);
    }

    /** A job outside any group, without a parent. */
    public NewJob(String name, String argument, String type, String pool, String restart, Integer maxRestarts,
                  Duration heartbeatTimeout, JsonNode params, Duration timeout) {
        this(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, null, null, null);
    }

    /** A job that rebalancing may move. */
    public NewJob(String name, String argument, String type, String pool, String restart, Integer maxRestarts,
                  Duration heartbeatTimeout, JsonNode params, Duration timeout, String group, Integer index,
                  UUID parentId, String concurrencyKey, Integer concurrencyLimit) {
        this(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group, index,
                parentId, concurrencyKey, concurrencyLimit, null);
    }

    /** A job without a concurrency key. */
    public NewJob(String name, String argument, String type, String pool, String restart, Integer maxRestarts,
                  Duration heartbeatTimeout, JsonNode params, Duration timeout, String group, Integer index,
                  UUID parentId) {
        this(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group, index,
                parentId, null, null);
    }

    /** A job with just a name and an argument, everything else by default. */
    public static NewJob of(String name, String argument) {
        return new NewJob(name, argument, null, null, null);
    }

    /** This job run by the handler of {@code type}. */
    public NewJob withType(String type) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job with a maximum of restarts. */
    public NewJob withMaxRestarts(int max) {
        return new NewJob(name, argument, type, pool, restart, max, heartbeatTimeout, params, timeout, group, index,
                parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job with a heartbeat timeout. */
    public NewJob withHeartbeatTimeout(Duration timeout) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, timeout, params, this.timeout, group, index,
                parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /**
     * This job with {@code params}, any value Jackson serializes (a record, a map, a {@code JsonNode}), which the
     * handler reads back with {@code JobContext.params(Class)}.
     */
    public NewJob withParams(Object params) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout,
                CODEC.mapper().valueToTree(params), timeout, group, index, parentId,
                concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job in {@code group}, at {@code index} (null: numbered by its batch). */
    public NewJob inGroup(String group, Integer index) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job as a child of {@code parentId}. */
    public NewJob withParent(UUID parentId) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job with a timeout for each of its runs. */
    public NewJob withTimeout(Duration timeout) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /**
     * This job as a run of fan-out {@code group}, at place {@code index} (null: a batch numbers the group's runs that
     * give none from 0, in order).
     */
    public NewJob withGroup(String group, Integer index) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }

    /** This job under concurrency key {@code key}, at most {@code limit} (null: 1) of whose jobs run at once. */
    public NewJob withConcurrencyKey(String key, Integer limit) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, key, limit, sticky);
    }

    /** This job, which rebalancing never moves when {@code sticky}. */
    public NewJob withSticky(boolean sticky) {
        return new NewJob(name, argument, type, pool, restart, maxRestarts, heartbeatTimeout, params, timeout, group,
                index, parentId, concurrencyKey, concurrencyLimit, sticky);
    }
}
