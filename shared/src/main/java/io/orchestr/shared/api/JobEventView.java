package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orchestr.shared.JobEventKind;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of a job's history, as {@code GET /api/jobs/{id}/events} shows it; the fields that do not apply are
 * absent.
 *
 * @param at         when the manager decided or learned it, on the manager's clock
 * @param kind       what happened
 * @param serverId   the node incarnation concerned (the one granted, that ran, stopped or reported)
 * @param serverName its name, when the manager knew it
 * @param epoch      the grant concerned
 * @param actor      who asked: {@code "api <address>"} for a REST call, {@code "node <id>"} for what a node
 *                   reported; absent for what the manager did or found out itself
 * @param detail     why, in words (a checkpoint's size, the reason a run stopped, the last error)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEventView(Instant at, JobEventKind kind, UUID serverId, String serverName, Long epoch,
                           String actor, String detail) {
}
