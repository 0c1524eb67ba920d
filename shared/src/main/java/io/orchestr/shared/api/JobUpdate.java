package io.orchestr.shared.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestr.shared.json.WireCodec;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A change to a job that waits ({@code Queued} or {@code Paused}): what {@code PATCH /api/jobs/{id}} takes, a JSON
 * merge patch (RFC 7396). Each field is one of three things:
 * <ul>
 *   <li>{@code null}: not in the patch, the job keeps it;</li>
 *   <li>{@link Optional#empty()}: JSON {@code null}, which clears it to its default (as if the job had been created
 *   without it: argument empty, restart {@code on-failure}, no params, no limits);</li>
 *   <li>a value: the new one, checked as {@code POST /api/jobs} checks it.</li>
 * </ul>
 * Build one with {@link #none()} and the {@code with…} and {@code without…} methods:
 * {@code JobUpdate.none().withArgument("region=us").withoutTimeout()}.
 *
 * <p>{@code params} follows RFC 7396 too: an object is merged into the job's params key by key (a key set to
 * {@code null} is removed, an object value is merged in turn), any other value replaces them.
 *
 * @param argument         free text handed to the handler
 * @param params           structured input for the handler, merged as above
 * @param restart          {@code on-failure}, {@code always} or {@code never}
 * @param maxRestarts      how often the node may restart the handler before the job ends for good
 * @param heartbeatTimeout how long a run may go without a heartbeat; ISO-8601 in JSON
 * @param timeout          how long one run may last; ISO-8601 in JSON
 * @param sticky           true: rebalancing never moves the job; cleared, false
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // null, empty and a value are the three states of a patch
public record JobUpdate(Optional<String> argument, Optional<JsonNode> params, Optional<String> restart,
                        Optional<Integer> maxRestarts, Optional<Duration> heartbeatTimeout,
                        Optional<Duration> timeout, Optional<Boolean> sticky) {
    private static final WireCodec CODEC = new WireCodec();

    public JobUpdate {
        // a JSON null given as a value means "clear", as in the patch
        params = params == null ? null : params.map(WireCodec::orNull);
    }

    /** A patch that changes nothing, to build on. */
    public static JobUpdate none() {
        return new JobUpdate(null, null, null, null, null, null, null);
    }

    /** This patch also setting the argument. */
    public JobUpdate withArgument(String value) {
        return new JobUpdate(Optional.of(value), params, restart, maxRestarts, heartbeatTimeout, timeout, sticky);
    }

    /** This patch also clearing the argument (empty). */
    public JobUpdate withoutArgument() {
        return new JobUpdate(Optional.empty(), params, restart, maxRestarts, heartbeatTimeout, timeout, sticky);
    }

    /**
     * This patch also merging {@code value} into the params: any value Jackson serializes (a record, a map, a
     * {@code JsonNode}). An object sets its keys (its null ones remove keys); anything else replaces the params.
     */
    public JobUpdate withParams(Object value) {
        return new JobUpdate(argument, Optional.ofNullable(CODEC.mapper().valueToTree(value)), restart, maxRestarts,
                heartbeatTimeout, timeout, sticky);
    }

    /** This patch also removing the params. */
    public JobUpdate withoutParams() {
        return new JobUpdate(argument, Optional.empty(), restart, maxRestarts, heartbeatTimeout, timeout, sticky);
    }

    /** This patch also setting the restart mode: {@code on-failure}, {@code always} or {@code never}. */
    public JobUpdate withRestart(String mode) {
        return new JobUpdate(argument, params, Optional.of(mode), maxRestarts, heartbeatTimeout, timeout, sticky);
    }

    /** This patch also setting the restart mode back to {@code on-failure}. */
    public JobUpdate withoutRestart() {
        return new JobUpdate(argument, params, Optional.empty(), maxRestarts, heartbeatTimeout, timeout, sticky);
    }

    /** This patch also setting the maximum of restarts. */
    public JobUpdate withMaxRestarts(int max) {
        return new JobUpdate(argument, params, restart, Optional.of(max), heartbeatTimeout, timeout, sticky);
    }

    /** This patch also removing the maximum of restarts. */
    public JobUpdate withoutMaxRestarts() {
        return new JobUpdate(argument, params, restart, Optional.empty(), heartbeatTimeout, timeout, sticky);
    }

    /** This patch also setting the heartbeat timeout. */
    public JobUpdate withHeartbeatTimeout(Duration value) {
        return new JobUpdate(argument, params, restart, maxRestarts, Optional.of(value), timeout, sticky);
    }

    /** This patch also removing the heartbeat timeout. */
    public JobUpdate withoutHeartbeatTimeout() {
        return new JobUpdate(argument, params, restart, maxRestarts, Optional.empty(), timeout, sticky);
    }

    /** This patch also setting the run timeout. */
    public JobUpdate withTimeout(Duration value) {
        return new JobUpdate(argument, params, restart, maxRestarts, heartbeatTimeout, Optional.of(value), sticky);
    }

    /** This patch also removing the run timeout. */
    public JobUpdate withoutTimeout() {
        return new JobUpdate(argument, params, restart, maxRestarts, heartbeatTimeout, Optional.empty(), sticky);
    }

    /** This patch also setting whether rebalancing may move the job ({@code sticky}: never). */
    public JobUpdate withSticky(boolean value) {
        return new JobUpdate(argument, params, restart, maxRestarts, heartbeatTimeout, timeout, Optional.of(value));
    }

    /** The patch as the JSON merge patch it stands for: absent fields left out, cleared ones {@code null}. */
    public ObjectNode toMergePatch() {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        put(patch, "argument", argument, JsonNodeFactory.instance::textNode);
        put(patch, "params", params, value -> value);
        put(patch, "restart", restart, JsonNodeFactory.instance::textNode);
        put(patch, "maxRestarts", maxRestarts, JsonNodeFactory.instance::numberNode);
        put(patch, "heartbeatTimeout", heartbeatTimeout, value -> JsonNodeFactory.instance.textNode(value.toString()));
        put(patch, "timeout", timeout, value -> JsonNodeFactory.instance.textNode(value.toString()));
        put(patch, "sticky", sticky, JsonNodeFactory.instance::booleanNode);
        return patch;
    }

    /**
     * {@code job} with this patch applied: fields not in the patch as they are, cleared ones null (their default),
     * params merged (RFC 7396). Nothing is checked here: the result is checked as a new job would be.
     */
    public NewJob applyTo(NewJob job) {
        return new NewJob(job.name(), pick(argument, job.argument()), job.type(), job.pool(),
                pick(restart, job.restart()), pick(maxRestarts, job.maxRestarts()),
                pick(heartbeatTimeout, job.heartbeatTimeout()),
                params == null ? job.params() : params.map(patch -> merge(job.params(), patch)).orElse(null),
                pick(timeout, job.timeout()), job.group(), job.index(), job.parentId(), job.concurrencyKey(),
                job.concurrencyLimit(), pick(sticky, job.sticky()));
    }

    /** True when the patch holds no field: it changes nothing. */
    public boolean isEmpty() {
        return argument == null && params == null && restart == null && maxRestarts == null
                && heartbeatTimeout == null && timeout == null && sticky == null;
    }

    /** RFC 7396's MergePatch(target, patch). */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode merged = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), merge(merged.get(field.getKey()), field.getValue()));
            }
        }
        return merged;
    }

    private static <T> T pick(Optional<T> change, T current) {
        return change == null ? current : change.orElse(null);
    }

    private static <T> void put(ObjectNode patch, String field, Optional<T> change,
                                Function<T, JsonNode> json) {
        if (change != null) {
            patch.set(field, change.map(json).orElse(JsonNodeFactory.instance.nullNode()));
        }
    }
}
