package io.orchestr.manager.api;

import io.orchestr.client.JobFilter;
import io.orchestr.manager.auth.Roles;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.JobBulk;
import io.orchestr.manager.job.JobCascade;
import io.orchestr.manager.job.JobCreator;
import io.orchestr.manager.job.JobEditor;
import io.orchestr.manager.job.JobOutputs;
import io.orchestr.manager.job.JobRerunner;
import io.orchestr.manager.job.JobQueries;
import io.orchestr.manager.job.JobSteering;
import io.orchestr.shared.JobStatus;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.BulkRequest;
import io.orchestr.shared.api.BulkResult;
import io.orchestr.shared.api.JobEventView;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.MoveRequest;
import io.orchestr.shared.api.NewJob;
import io.orchestr.shared.api.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** {@code /api/jobs}: create, read, list, edit, rerun, cancel and steer jobs, and read their histories. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class JobResource {
    /** The content type of a JSON merge patch (RFC 7396). */
    static final String MERGE_PATCH = "application/merge-patch+json";
    /** A run's output: text, as UTF-8, as it was written. */
    static final String OUTPUT_TYPE = "text/plain; charset=utf-8";

    private final JobCreator creator;
    private final JobCascade cascade;
    private final JobEditor editor;
    private final JobRerunner rerunner;
    private final JobQueries queries;
    private final NewJobReader reader;
    private final JobSteering steering;
    private final JobBulk bulk;
    private final JobHistory history;
    private final Caller caller;
    private final CommandPermission commands;
    private final JobOutputs outputs;

    JobResource(JobCreator creator, JobCascade cascade, JobEditor editor, JobRerunner rerunner,
                JobQueries queries, NewJobReader reader, JobSteering steering, JobBulk bulk, JobHistory history,
                Caller caller, CommandPermission commands, JobOutputs outputs) {
        this.commands = commands;
        this.outputs = outputs;
        this.bulk = bulk;
        this.creator = creator;
        this.cascade = cascade;
        this.editor = editor;
        this.rerunner = rerunner;
        this.queries = queries;
        this.reader = reader;
        this.steering = steering;
        this.history = history;
        this.caller = caller;
    }

    /** Creates a job: 201 with the job, 409 when the name is taken, 400 naming the invalid field. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "the job, at its Location",
            headers = @Header(name = HttpHeaders.LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", description = "the name is taken (names lists it), or a quota would be passed")
    public RestResponse<JobView> create(
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = NewJob.class)))
            String body) {
        JobView job = creator.create(commands.checked(reader.read(body)), caller.actor());
        return RestResponse.ResponseBuilder.<JobView>created(URI.create("/api/jobs/" + job.id())).entity(job).build();
    }

    /**
     * Creates jobs, all or none: 201 with the jobs in order; 400 naming the {@code index} and {@code field} at
     * fault; 409 listing the taken {@code names}, or naming the {@code index} of a name given twice.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "the jobs, in the order given",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = JobView.class)))
    @APIResponse(responseCode = "409", description = "names lists the names taken, or index names one given twice;"
            + " or a quota would be passed")
    public RestResponse<List<JobView>> createAll(
            @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.ARRAY,
                    implementation = NewJob.class)))
            String body) {
        return RestResponse.status(RestResponse.Status.CREATED, creator.createAll(
                commands.checked(reader.readBatch(body)), caller.actor()));
    }

    @GET
    @Path("{id}")
    public JobView job(@RestPath String id) {
        return queries.job(Params.pathId("job", id));
    }

    /**
     * The jobs matching every filter given, newest first; a {@code name} ending in {@code *} matches the names that
     * start with the rest.
     */
    @GET
    public Page<JobView> jobs(@Parameter(schema = @Schema(implementation = JobStatus.class))
                              @RestQuery String status, @RestQuery String name, @RestQuery String serverId,
                              @RestQuery String pool, @RestQuery String group, @RestQuery String parentId,
                              @RestQuery String page, @RestQuery String size) {
        JobFilter search = new JobFilter(Params.constant("status", status, JobStatus.class), Params.text(name),
                Params.uuid("serverId", serverId), Params.text(pool), Params.text(group),
                Params.uuid("parentId", parentId));
        int pageNumber = Params.page(page);
        int pageSize = Params.size(size);
        Params.checkOffset(pageNumber, pageSize);
        return queries.jobs(search, pageNumber, pageSize);
    }

    /**
     * Cancels a job: 202 with the job, {@code Deleted} if no node runs it (a {@code Completed} or {@code Failed} job
     * too, which frees its name), else {@code Deleting} until its node stopped it. Its children that have not
     * ended are cancelled too, and theirs ({@link JobCascade}).
     */
    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("{id}")
    @APIResponseSchema(value = JobView.class, responseCode = "202",
            responseDescription = "the job, Deleted, or Deleting until its node stopped it")
    public RestResponse<JobView> cancel(@RestPath String id) {
        return RestResponse.accepted(cascade.cancel(Params.pathId("job", id), caller.actor()));
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

    /**
     * The output of the job's current run, or of its last one when none goes ({@code JobContext.output()}): its last
     * {@code tail} bytes (64 KiB by default), and with {@code follow=true} then what the run writes, as it comes,
     * until the run is over. 404 for an unknown job and one that never ran; 410 when the node of that run is gone;
     * 504 when the node does not answer (older nodes cannot), 502 when the broker fails.
     */
    @GET
    @Path("{id}/output")
    @Produces(OUTPUT_TYPE)
    @APIResponse(responseCode = "200", description = "the output, as the run wrote it",
            content = @Content(mediaType = OUTPUT_TYPE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no job has this id, or the job never ran")
    @APIResponse(responseCode = "410", description = "the node of that run is gone")
    @APIResponse(responseCode = "502", description = "the broker failed")
    @APIResponse(responseCode = "504", description = "the node does not answer (older nodes cannot)")
    public RestResponse<StreamingOutput> output(@RestPath String id, @RestQuery String follow,
                                                @RestQuery String tail) {
        UUID jobId = Params.pathId("job", id);
        boolean following = Params.flag("follow", follow);
        int bytes = Params.tail(tail);
        JobOutputs.Run run = outputs.run(jobId);
        if (following) {
            return RestResponse.ok(to -> outputs.follow(run, bytes, to));
        }
        byte[] shown = outputs.tail(run, bytes);
        return RestResponse.ok(to -> to.write(shown));
    }

    /**
     * Cancels, pauses, resumes or reruns every job of a {@code group}, of a {@code parentId}, or of a list of
     * {@code ids} (exactly one of them), each as alone: 202 with how many jobs matched and how many changed; 400 for
     * an unknown action or selector.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = BulkResult.class, responseCode = "202",
            responseDescription = "how many jobs matched and how many changed")
    public RestResponse<BulkResult> bulk(
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BulkRequest.class)))
            String body) {
        return RestResponse.accepted(bulk.apply(reader.readBulk(body), caller.actor()));
    }

    /**
     * Pauses a job: 202 with the job, {@code Paused} if no node ran it, else {@code Pausing} until its node confirms
     * the stop; a repeat is a no-op; 409 if it ended or is being cancelled. Its children that have not ended are
     * paused too, and theirs.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/pause")
    @APIResponseSchema(value = JobView.class, responseCode = "202",
            responseDescription = "the job, Paused, or Pausing until its node confirms the stop")
    @APIResponse(responseCode = "409", description = "the job ended or is being cancelled")
    public RestResponse<JobView> pause(@RestPath String id) {
        return RestResponse.accepted(cascade.pause(Params.pathId("job", id), caller.actor()));
    }

    /**
     * Resumes a paused job: 202 with the job, {@code Queued}; a no-op when queued or running; 409 otherwise. Its
     * paused children are resumed too, and theirs.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/resume")
    @APIResponseSchema(value = JobView.class, responseCode = "202", responseDescription = "the job, Queued")
    @APIResponse(responseCode = "409", description = "the job ended, is being cancelled or is still pausing; or a"
            + " quota would be passed")
    public RestResponse<JobView> resume(@RestPath String id) {
        return RestResponse.accepted(cascade.resume(Params.pathId("job", id), caller.actor()));
    }

    /** Restarts a job: 202 with the job; its run stops and a new one starts, never overlapping; 409 unless active. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/restart")
    @APIResponseSchema(value = JobView.class, responseCode = "202", responseDescription = "the job, restarting")
    @APIResponse(responseCode = "409", description = "the job is paused, pausing, being cancelled or ended")
    public RestResponse<JobView> restart(@RestPath String id) {
        return RestResponse.accepted(steering.restart(Params.pathId("job", id), caller.actor()));
    }

    /**
     * Moves a job to another node, {@code serverId} if given: 202 with the job; its run stops and the next starts
     * there, never overlapping; 409 when no other node can take it.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/move")
    @APIResponseSchema(value = JobView.class, responseCode = "202", responseDescription = "the job, moving")
    @APIResponse(responseCode = "409", description = "the job is neither queued nor running, or no node can take it")
    public RestResponse<JobView> move(@RestPath String id,
                                      @RequestBody(content = @Content(schema = @Schema(implementation =
                                              MoveRequest.class))) String body) {
        UUID jobId = Params.pathId("job", id);
        return RestResponse.accepted(steering.move(jobId, reader.readMoveTarget(body), caller.actor()));
    }

    /**
     * Edits a job that waits ({@code Queued} or {@code Paused}) with a JSON merge patch (RFC 7396) of its
     * {@code argument}, {@code params}, {@code restart}, {@code maxRestarts}, {@code heartbeatTimeout} and
     * {@code timeout}, {@code null} clearing a field to its default: 200 with the job; 409 in any other status; 400
     * naming the field that is invalid or cannot be changed. Its next run follows the edit.
     */
    @RolesAllowed(Roles.OPERATOR)
    @PATCH
    @Path("{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @APIResponseSchema(value = JobView.class, responseDescription = "the job, edited")
    @APIResponse(responseCode = "409", description = "the job is neither Queued nor Paused")
    public JobView edit(@RestPath String id,
                        @RequestBody(required = true, content = @Content(mediaType = MERGE_PATCH,
                                schema = @Schema(implementation = JobUpdate.class)))
                        String body) {
        UUID jobId = Params.pathId("job", id);
        return editor.edit(jobId, reader.readUpdate(body), job -> commands.checked(PipelineCheck.checked(job)));
    }

    /**
     * Queues a {@code Completed} or {@code Failed} job again, same id, name and history, its result, last error,
     * restarts and progress reset, and its checkpoint too unless the body says {@code {"keepCheckpoint": true}}:
     * 202 with the job, {@code Queued}; 409 in any other status.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/rerun")
    @APIResponseSchema(value = JobView.class, responseCode = "202", responseDescription = "the job, Queued")
    @APIResponse(responseCode = "409", description = "the job is neither Completed nor Failed")
    public RestResponse<JobView> rerun(@RestPath String id,
                                       @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                               schema = @Schema(implementation = Rerun.class)))
                                       String body) {
        UUID jobId = Params.pathId("job", id);
        return RestResponse.accepted(rerunner.rerun(jobId, reader.readKeepCheckpoint(body), caller.actor()));
    }

    /** The optional body of a rerun, for the OpenAPI document. */
    record Rerun(boolean keepCheckpoint) {
    }
}
