package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.JobStatus;
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
 * the single one (zero overlap included) and a job it cannot apply to (a rerun of a running job) is skipped, not a
 * failure of the whole.
 */
@ApplicationScoped
public class JobBulk {
    /** The most ids one request may list. */
    public static final int MAX_IDS = 1_000;
    private static final Logger LOG = Logger.getLogger(JobBulk.class);

    private final Store store;
    private final Map<String, BiFunction<UUID, String, JobView>> actions;

    JobBulk(Store store, JobCanceller canceller, JobSteering steering, JobRerunner rerunner) {
        this.store = store;
        this.actions = Map.of(
                "cancel", canceller::cancel,
                "pause", steering::pause,
                "resume", steering::resume,
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
        int matched = 0;
        int changed = 0;
        for (UUID id : chosen) {
            // a job changed when its status did: a repeat (a pause of a paused job) leaves it as it was
            JobStatus before = QuarkusTransaction.requiringNew().call(() -> store.jobStates(List.of(id))).stream()
                    .findFirst().map(JobState::status).orElse(null);
            if (before == null) {
                continue; // an id that names no job, or one purged meanwhile: not matched
            }
            matched++;
            try {
                if (action.apply(id, actor).status() != before) {
                    changed++;
                }
            } catch (UnknownIdException e) {
                matched--; // purged between the look and the action
            } catch (ConflictException e) {
                LOG.debugf("Bulk %s skipped job %s: %s", request.action(), id, e.getMessage());
            }
        }
        LOG.infof("Bulk %s: %d job(s) matched, %d changed", request.action(), matched, changed);
        return new BulkResult(matched, changed);
    }
}
