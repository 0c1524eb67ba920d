package io.orchestr.shared.topology;

/** The kind of RabbitMQ queue that carries jobs. */
public enum QueueType {
    /** A classic queue: the default, right for a single broker. */
    CLASSIC,
    /** A quorum queue: replicated, for broker clusters. */
    QUORUM
}
