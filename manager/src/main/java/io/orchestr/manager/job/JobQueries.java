package io.orchestr.manager.job;

import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.store.JobEntity;
import io.orchestr.manager.store.JobRepository;
import io.orchestr.client.JobFilter;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.Page;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** Reads jobs for the REST API. */
@ApplicationScoped
public class JobQueries {
    private final JobRepository jobs;
    private final JobViews views;

    JobQueries(JobRepository jobs, JobViews views) {
        this.jobs = jobs;
        this.views = views;
    }

    /** @throws UnknownIdException when no job has this id */
    @Transactional
    public JobView job(UUID jobId) {
        return jobs.findByIdOptional(jobId).map(views::view)
                .orElseThrow(() -> new UnknownIdException("job", jobId.toString()));
    }

    /** One page of the jobs matching {@code search}, newest first. */
    @Transactional
    public Page<JobView> jobs(JobFilter search, int page, int size) {
        PanacheQuery<JobEntity> query = jobs.search(search);
        return new Page<>(views.views(query.page(page, size).list()), page, size, query.count());
    }
}
