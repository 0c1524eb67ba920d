package io.orchestr.manager.job;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.BulkResult;
import io.orchestr.shared.api.JobView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Applies one action (cancel, pause, resume, rerun) to every job of a group, of a parent, or of a list of ids.
 * Each job goes through the same call as alone, in a transaction of its own, so a bulk action obeys every rule of
 * the single one (zero overlap included, and the cascade to its children: {@link JobCascade}) and a job it cannot
 * apply to (a rerun of a running job) is skipped, not a failure of the whole.
 */
@ApplicationScoped
public class JobBulk {
    /** The most ids one request may list. */
    public static final int MAX_IDS = 1_000;
    private static final Logger LOG = Logger.getLogger(JobBulk.class);

    private final Store store;
    private final JobCascade cascade;
    private final Map<String, BiFunction<UUID, String, JobView>> actions;

    JobBulk(Store store, JobCascade cascade, JobRerunner rerunner) {
        this.store = store;
        this.cascade = cascade;
        // a cancel, pause or resume reaches the children of each job chosen, as the single call does
        this.actions = Map.of(
                "cancel", cascade::cancel,
                "pause", cascade::pause,
                "resume", cascade::resume,
                "rerun", (id, actor) -> rerunner.rerun(id, false, actor));
    }

    /**
     * @throws InvalidRequestException when the action is unknown, or not exactly one of group, parentId and ids is
     *                                 given, or more than {@link #MAX_IDS} ids
     */
    public BulkResult apply(BulkRequest request, String actor) {
        BiFunction<UUID, String, JobView> action = request.action() == null ? null : actions.get(request.action());
        if (action == null) {
            throw new InvalidRequestException("action", "action must be one of cancel, pause, resume, rerun");
        }
        long selectors = Stream.of(request.group(), request.parentId(), request.ids()).filter(Objects::nonNull)
                .count();
        if (selectors != 1) {
            throw new InvalidRequestException(null, "give exactly one of group, parentId and ids");
        }
        if (request.ids() != null && request.ids().size() > MAX_IDS) {
            throw new InvalidRequestException("ids", "ids may list at most " + MAX_IDS + " jobs, not "
                    + request.ids().size());
        }
        List<UUID> chosen = QuarkusTransaction.requiringNew().call(() -> request.ids() != null
                ? request.ids().stream().distinct().toList()
                : store.jobIdsOf(request.group(), request.parentId()));
        BulkResult result = cascade.each("Bulk " + request.action(), chosen, actor, action);
        LOG.infof("Bulk %s: %d job(s) matched, %d changed", request.action(), result.matched(), result.changed());
        return result;
    }
}
