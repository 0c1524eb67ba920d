package io.orchestr.manager.api;

import io.orchestr.client.JobFilter;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.JobCanceller;
import io.orchestr.manager.job.JobCreator;
import io.orchestr.manager.job.JobQueries;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;

/** {@code /api/jobs}: create, read, list and cancel jobs, and read their histories. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private final JobCreator creator;
    private final JobCanceller canceller;
    private final JobQueries queries;
    private final NewJobReader reader;
    private final JobHistory history;
    private final Caller caller;

    JobResource(JobCreator creator, JobCanceller canceller, JobQueries queries, NewJobReader reader,
                JobHistory history, Caller caller) {
        this.creator = creator;
        this.canceller = canceller;
        this.queries = queries;
        this.reader = reader;
        this.history = history;
        this.caller = caller;
    }

    /** Creates a job: 201 with the job, 409 when the name is taken, 400 naming the invalid field. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<JobView> create(
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = NewJob.class)))
            String body) {
        JobView job = creator.create(reader.read(body), caller.actor());
        return RestResponse.ResponseBuilder.<JobView>created(URI.create("/api/jobs/" + job.id())).entity(job).build();
    }

    /**
     * Creates jobs, all or none: 201 with the jobs in order; 400 naming the {@code index} and {@code field} at
     * fault; 409 listing the taken {@code names}, or naming the {@code index} of a name given twice.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<List<JobView>> createAll(
            @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.ARRAY,
                    implementation = NewJob.class)))
            String body) {
        return RestResponse.status(RestResponse.Status.CREATED, creator.createAll(reader.readBatch(body),
                caller.actor()));
    }

    @GET
    @Path("{id}")
    public JobView job(@RestPath String id) {
        return queries.job(Params.pathId("job", id));
    }

    /** The jobs matching every filter given, newest first. */
    @GET
    public Page<JobView> jobs(@RestQuery String status, @RestQuery String name, @RestQuery String serverId,
                              @RestQuery String pool, @RestQuery String page, @RestQuery String size) {
        JobFilter search = new JobFilter(Params.constant("status", status, JobStatus.class), Params.text(name),
                Params.uuid("serverId", serverId), Params.text(pool));
        int pageNumber = Params.page(page);
        int pageSize = Params.size(size);
        Params.checkOffset(pageNumber, pageSize);
        return queries.jobs(search, pageNumber, pageSize);
    }

    /** Cancels a job: 202 with the job, {@code Deleted} if no node ran it yet, else {@code Deleting}. */
    @DELETE
    @Path("{id}")
    public RestResponse<JobView> cancel(@RestPath String id) {
        return RestResponse.accepted(canceller.cancel(Params.pathId("job", id), caller.actor()));
    }

    /**
     * The job's history, oldest first: created, granted to a node under an epoch, started, stopped and why, ended;
     * 404 for an unknown job. A job keeps its last events only ({@code orchestr.history.max-events-per-job}).
     */
    @GET
    @Path("{id}/events")
    public Page<JobEventView> events(@RestPath String id, @RestQuery String page, @RestQuery String size) {
        int pageNumber = Params.page(page);
        int pageSize = Params.size(size);
        Params.checkOffset(pageNumber, pageSize);
        return history.events(Params.pathId("job", id), pageNumber, pageSize);
    }
}
