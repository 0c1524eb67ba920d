package io.orchestr.manager.api;

import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.auth.Roles;
import io.orchestr.manager.feed.EventFeed;
import io.orchestr.manager.feed.OverviewReader;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.shared.api.FeedEvent;
import io.orchestr.shared.api.Overview;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The fleet's live view: {@code GET /api/overview}, {@code GET /api/events} (the latest events of every job) and
 * {@code GET /api/events/stream}, the server-sent events that the dashboard and {@code orchestr ... watch} follow.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EventResource {
    /** The most jobs one stream may watch. */
    static final int MAX_WATCHED_PER_STREAM = 100;

    private final EventFeed feed;
    private final JobHistory history;
    private final OverviewReader overviews;

    EventResource(EventFeed feed, JobHistory history, OverviewReader overviews) {
        this.feed = feed;
        this.history = history;
        this.overviews = overviews;
    }

    /** Jobs by status and pool, and the servers that have not left, with their slots. */
    @GET
    @Path("overview")
    public Overview overview() {
        return overviews.read();
    }

    /** The last {@code size} events of every job (50 unless given), newest first. */
    @GET
    @Path("events")
    public List<FeedEvent> events(@RestQuery String size) {
        return history.latest(Params.size(size));
    }

    /**
     * Server-sent events of what changes, read once per tick for every open stream ({@link EventFeed}):
     * {@code job-event}, {@code overview}, {@code job} (for each {@code job} id given, at most 100) and
     * {@code reset}. A stream resumes after the event id of {@code Last-Event-ID} (which a browser's
     * {@code EventSource} sends when it reconnects) or of {@code after}.
     */
    @GET
    @Path("events/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponse(responseCode = "200", description = "the stream: events job-event, overview, job and reset, each"
            + " with its id and a JSON data line", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING)))
    public void stream(@Context SseEventSink sink, @Context Sse sse, @RestQuery List<String> job,
                       @RestQuery String after, @HeaderParam("Last-Event-ID") String lastEventId) {
        Set<UUID> watched = new LinkedHashSet<>();
        for (String id : job) {
            watched.add(Params.uuid("job", id));
        }
        if (watched.size() > MAX_WATCHED_PER_STREAM) {
            throw new InvalidRequestException("job", "a stream watches at most " + MAX_WATCHED_PER_STREAM
                    + " jobs, not " + watched.size());
        }
        Long resumeAfter = Params.eventId("Last-Event-ID", lastEventId);
        feed.subscribe(sink, sse, watched, resumeAfter != null ? resumeAfter : Params.eventId("after", after));
    }
}
