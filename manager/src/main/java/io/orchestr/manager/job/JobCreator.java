package io.orchestr.manager.job;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.Failures;
import io.orchestr.manager.GroupCommit;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.NameTakenException;
import io.orchestr.manager.history.JobEvent;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.JobState;
import io.orchestr.manager.store.Store;
import io.orchestr.shared.Causes;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.work.RoleRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Creates jobs through an outbox: the rows are committed first ({@code Queued}, not published), then the jobs'
 * messages are published with confirms, then the rows are marked published. A manager that dies in between
 * leaves unpublished rows, which the {@link Republisher} of any manager publishes later; so a job answered
 * {@code 201} is never lost, and a second copy of its message is harmless.
 *
 * <p>A batch takes the same three steps, each once for all its jobs: one transaction, one wait for the broker's
 * confirms, one update. So do concurrent single creations, grouped by a {@link GroupCommit}: each still gets its
 * own answer (its job, or why not), but they share the commit and the confirm wait.
 */
@ApplicationScoped
public class JobCreator {
    /** The most jobs one batch creates: keeps its transaction, its body and its answer of bounded size. */
    public static final int MAX_BATCH = 1_000;

    private static final Logger LOG = Logger.getLogger(JobCreator.class);
    /** The most single creations that share one transaction. */
    private static final int MAX_GROUP = 200;

    private final Store store;
    private final JobHistory history;
    private final Publication publication;
    private final JobViews views;
    private final ExecNodes execNodes;
    private final JobQuotas quotas;
    private final Clock clock;
    private final GroupCommit<Creation, JobView> singles = new GroupCommit<>(MAX_GROUP, this::createEach);

    JobCreator(Store store, JobHistory history, Publication publication, JobViews views, ExecNodes execNodes,
               JobQuotas quotas, Clock clock) {
        this.quotas = quotas;
        this.store = store;
        this.history = history;
        this.publication = publication;
        this.views = views;
        this.execNodes = execNodes;
        this.clock = clock;
    }

    /** A job to create and who asked for it, as its history's {@code created} event names them. */
    private record Creation(JobSpec spec, String actor) {
        String name() {
            return spec.name();
        }
    }

    /**
     * Stores and publishes a new job. The job exists once this returns, even when publishing failed (the
     * republisher tries again).
     *
     * @param actor who asks, as the job's history names it
     * @throws InvalidRequestException when a field is invalid, or an {@code exec} job names a role no node serves
     * @throws NameTakenException      when a job that is not Deleted has the name
     * @throws ConflictException       when a quota of {@code orchestr.limits} would be passed
     */
    public JobView create(NewJob request, String actor) {
        JobSpec spec = JobSpec.of(request);
        checkParents(List.of(spec));
        execNodes.checkRoles(List.of(spec), false);
        quotas.admit(List.of(spec), false);
        return singles.submit(new Creation(spec, actor));
    }

    /**
     * Checks {@code job} as {@link #create} does, without creating it: for the jobs that another job's params
     * describe (a pipeline's stages), refused when the outer one is created.
     *
     * @return {@code job}
     * @throws InvalidRequestException naming the first field at fault
     */
    public static NewJob check(NewJob job) {
        JobSpec.of(job);
        return job;
    }

    /**
     * Stores and publishes new jobs, all or none; returns them in the order asked for. They exist once this
     * returns, even when publishing failed (the republisher tries again).
     *
     * @throws InvalidRequestException when the batch is empty or longer than {@link #MAX_BATCH}, or a field of
     *                                 an element is invalid (naming the element)
     * @throws NameTakenException      when two elements give the same name (naming the second), or jobs that are
     *                                 not Deleted have some of the names (listing them all)
     */
    public List<JobView> createAll(List<NewJob> requests, String actor) {
        if (requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw new InvalidRequestException(null, "a batch holds 1 to " + MAX_BATCH + " jobs, not "
                    + requests.size());
        }
        List<Creation> specs = new ArrayList<>(requests.size());
        Set<String> names = new HashSet<>();
        Map<String, Integer> nextPlace = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            JobSpec spec;
            try {
                spec = JobSpec.of(requests.get(i));
            } catch (InvalidRequestException e) {
                throw e.inElement(i);
            }
            if (!names.add(spec.name())) {
                throw NameTakenException.twiceInBatch(spec.name(), i);
            }
            if (spec.group() != null && spec.index() == null) {
                // a batch numbers its runs of one group from 0, in order, where they give no place of their own
                spec = spec.numbered(nextPlace.merge(spec.group(), 1, Integer::sum) - 1);
            }
            specs.add(new Creation(spec, actor));
        }
        List<JobSpec> checked = specs.stream().map(Creation::spec).toList();
        checkParents(checked);
        execNodes.checkRoles(checked, true);
        quotas.admit(checked, true);
        return create(specs);
    }

    /**
     * Stores a group of single creations that arrived together, each on its own: a name taken, or given twice in
     * the group (two callers racing), fails that creation only, and the others are inserted together again. The
     * second phase publishes what was stored, while the next group is already being stored.
     */
    private Supplier<List<GroupCommit.Result<JobView>>> createEach(List<Creation> specs) {
        List<GroupCommit.Result<JobView>> outcomes = new ArrayList<>(specs.size());
        List<Integer> pending = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            boolean first = names.add(specs.get(i).name());
            outcomes.add(first ? null : GroupCommit.Result.failed(new NameTakenException(specs.get(i).name())));
            if (first) {
                pending.add(i);
            }
        }
        for (int attempt = 0; attempt < 3 && !pending.isEmpty(); attempt++) {
            try {
                List<JobEntity> stored = store(pending.stream().map(specs::get).toList());
                List<Integer> storedAt = List.copyOf(pending);
                return () -> {
                    List<JobView> created = publish(stored);
                    for (int k = 0; k < storedAt.size(); k++) {
                        outcomes.set(storedAt.get(k), GroupCommit.Result.of(created.get(k)));
                    }
                    return outcomes;
                };
            } catch (NameTakenException e) {
                Set<String> taken = Set.copyOf(e.names());
                for (int i : pending) {
                    if (taken.contains(specs.get(i).name())) {
                        outcomes.set(i, GroupCommit.Result.failed(new NameTakenException(specs.get(i).name())));
                    }
                }
                pending.removeIf(i -> outcomes.get(i) != null);
            }
        }
        pending.forEach(i -> outcomes.set(i, createAlone(specs.get(i)))); // names keep racing: one by one
        return () -> outcomes;
    }

    /**
     * @throws InvalidRequestException naming {@code parentId} (and the element, in a batch) when a parent named is
     *                                 no job
     */
    private void checkParents(List<JobSpec> specs) {
        Set<UUID> parents = specs.stream().map(JobSpec::parentId).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        if (parents.isEmpty()) {
            return;
        }
        Set<UUID> known = QuarkusTransaction.requiringNew().call(() -> store.jobStates(parents)).stream()
                .map(JobState::id).collect(Collectors.toSet());
        for (int i = 0; i < specs.size(); i++) {
            UUID parent = specs.get(i).parentId();
            if (parent != null && !known.contains(parent)) {
                InvalidRequestException unknown = new InvalidRequestException("parentId", "parentId " + parent
                        + " names no job");
                throw specs.size() == 1 ? unknown : unknown.inElement(i);
            }
        }
    }

    private GroupCommit.Result<JobView> createAlone(Creation spec) {
        try {
            return GroupCommit.Result.of(create(List.of(spec)).getFirst());
        } catch (RuntimeException e) {
            return GroupCommit.Result.failed(e);
        }
    }

    private List<JobView> create(List<Creation> specs) {
        return publish(store(specs));
    }

    /** Inserts the jobs and their {@code created} events and commits: from then on they exist. */
    private List<JobEntity> store(List<Creation> specs) {
        Instant now = clock.instant();
        List<JobEntity> jobs = specs.stream().map(spec -> queued(spec.spec(), now)).toList();
        for (int i = 0; i < jobs.size(); i++) {
            JobEntity job = jobs.get(i);
            if (job.concurrencyKey != null) {
                // a batch's jobs share one millisecond: their place in the request keeps their order in the line
                job.concurrencyOrder = JobEntity.linePlace(now, i);
            }
        }
        List<JobEvent> created = new ArrayList<>(jobs.size());
        List<JobEntity> rows = new ArrayList<>(jobs);
        for (int i = 0; i < jobs.size(); i++) {
            created.add(JobEvent.created(jobs.get(i).id, now, specs.get(i).actor()));
            for (JobEntity roleRun : roleRuns(jobs.get(i), specs.get(i).spec(), now)) {
                rows.add(roleRun);
                created.add(JobEvent.created(roleRun.id, now, specs.get(i).actor()));
            }
        }
        insert(rows, created);
        if (LOG.isDebugEnabled()) {
            jobs.forEach(job -> LOG.debugf("Created job %s named '%s' in pool %s", job.id, job.name, job.pool));
        }
        return jobs;
    }

    /** Publishes stored jobs with one confirm wait and marks them published; the republisher covers a failure. */
    private List<JobView> publish(List<JobEntity> jobs) {
        try {
            publication.publish(jobs);
        } catch (RuntimeException e) {
            // an outage is expected and needs no stack trace; anything else is a bug worth one
            LOG.warnf(Failures.isOutage(e) ? null : e, "%s stored but publishing did not complete (%s);"
                    + " the republisher will publish again in a few seconds", described(jobs), Causes.describe(e));
        }
        return views.views(jobs);
    }

    private void insert(List<JobEntity> jobs, List<JobEvent> created) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                store.insertJobs(jobs);
                history.recordAll(created);
            });
        } catch (NameTakenException e) {
            if (!e.names().isEmpty()) {
                throw e;
            }
            // a concurrent creation took a name between the check and the insert, and the unique index does not
            // say which: name those taken now that ours rolled back (all, if the other job was deleted since)
            List<String> names = jobs.stream().map(job -> job.name).toList();
            List<String> taken = QuarkusTransaction.requiringNew().call(() -> store.takenNames(names));
            throw new NameTakenException(taken.isEmpty() ? names : taken);
        }
    }

    private static JobEntity queued(JobSpec spec, Instant now) {
        JobEntity job = JobEntity.queued(spec.name(), spec.argument(), spec.type(), spec.pool(), spec.restart(), now);
        job.maxRestarts = spec.maxRestarts();
        job.heartbeatTimeout = spec.heartbeatTimeout();
        job.timeout = spec.timeout();
        job.params = spec.params();
        job.group = spec.group();
        job.groupIndex = spec.index();
        job.parentId = spec.parentId();
        job.concurrencyKey = spec.concurrencyKey();
        job.concurrencyLimit = spec.concurrencyLimit();
        job.sticky = spec.sticky();
        return job;
    }

    /**
     * The children that play the roles of {@code job}'s work other than its lead role, which the job itself plays
     * (docs/architecture.md, "Roles"); none for a job without roles. Marks {@code job} as a role run too.
     */
    private static List<JobEntity> roleRuns(JobEntity job, JobSpec spec, Instant now) {
        Set<String> roles = spec.execRoles().keySet();
        if (roles.isEmpty()) {
            return List.of();
        }
        job.role = RoleRun.leadRole(roles);
        job.roleOf = job.id;
        List<JobEntity> runs = new ArrayList<>(roles.size() - 1);
        for (String role : roles) {
            if (role.equals(job.role)) {
                continue;
            }
            JobEntity run = JobEntity.queued(spec.roleRunName(role), "", spec.type(), spec.pool(), spec.restart(),
                    now);
            run.maxRestarts = spec.maxRestarts();
            run.heartbeatTimeout = spec.heartbeatTimeout();
            run.timeout = spec.timeout();
            run.params = new RoleRun(role, job.id, spec.params()).params();
            run.parentId = job.id;
            run.role = role;
            run.roleOf = job.id;
            runs.add(run);
        }
        return runs;
    }

    private static String described(List<JobEntity> jobs) {
        return jobs.size() == 1 ? "Job " + jobs.getFirst().id + " is"
                : jobs.size() + " jobs (the first " + jobs.getFirst().id + ") are";
    }
}
