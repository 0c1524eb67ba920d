package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * One event of any job's history, as the fleet's feed shows it ({@code GET /api/events} and the {@code job-event}
 * events of {@code GET /api/events/stream}); the fields that do not apply are absent.
 *
 * @param id      the event's place in the feed, growing as events are recorded; the stream's {@code Last-Event-ID}
 * @param jobId   the job it happened to
 * @param jobName that job's name
 * @param event   what happened, as the job's own history shows it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedEvent(long id, UUID jobId, String jobName, JobEventView event) {
}
