package io.orchestr.shared.api;

import java.util.UUID;

/**
 * The body of {@code POST /api/jobs/{id}/move}.
 *
 * @param serverId the server the job's next run starts on; null for the node of its pool with the most free slots
 */
public record MoveRequest(UUID serverId) {
}
