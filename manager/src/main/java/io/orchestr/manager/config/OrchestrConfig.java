package io.orchestr.manager.config;

import io.orchestr.shared.topology.QueueType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The manager's own settings, under {@code orchestr.*} (environment variables {@code ORCHESTR_*}). Every key has
 * a default that works against the local services.
 */
@ConfigMapping(prefix = "orchestr")
public interface OrchestrConfig {

    /** The first part of every queue and exchange name; managers and nodes of one system share it. */
    @WithDefault("orchestr")
    String prefix();

    /** The kind of the durable queues: {@code classic} for one broker, {@code quorum} for a broker cluster. */
    @WithDefault("classic")
    QueueType queueType();

    /** How many channels consume the manager queue; each handles its messages one at a time, in order. */
    @WithDefault("4")
    int consumers();

    /** How often the republisher looks for jobs whose message was never confirmed as published. */
    @WithDefault("1s")
    Duration republishInterval();

    /** How long a job may stay unpublished before the republisher publishes it (a manager died in between). */
    @WithDefault("3s")
    Duration republishAfter();

    /** How long a node may go without a snapshot before it shows as {@code Lost}; display only. */
    @WithDefault("5s")
    Duration nodeLostAfter();

    /**
     * How soon the manager republishes jobs whose message the broker lost (a job queue deleted, a broker that
     * came back without its data). Half this often, it compares each pool's active jobs with what the nodes hold
     * and the queue has ready; a shortfall seen twice in a row republishes the jobs no node holds.
     */
    @WithDefault("30s")
    Duration resyncInterval();

    /**
     * How long ended jobs ({@code Completed}, {@code Failed}, {@code Deleted}) are kept after their last change; older
     * ones are purged with their history. An ISO-8601 duration ({@code P7D}) or Quarkus' short form ({@code 7d});
     * zero or negative keeps them for ever.
     */
    @WithDefault("P7D")
    Duration retention();

    /** How often each manager purges the ended jobs past {@link #retention()}. */
    @WithDefault("1m")
    Duration retentionInterval();

    /** Quotas of the API (README, "Quotas and limits"). */
    Limits limits();

    /** Quotas of the API, under {@code orchestr.limits.*}; each default is far above what the bench uses. */
    interface Limits {
        /** The most jobs that may be active (not ended) at once; a creation past it is refused with a 409. */
        @WithDefault("2000000")
        int activeJobs();

        /** The most active jobs of one pool; a creation past it is refused with a 409. */
        @WithDefault("1000000")
        int activeJobsPerPool();

        /**
         * The most pools with active jobs (each has queues of its own on the broker); a creation in one more pool is
         * refused with a 409.
         */
        @WithDefault("1000")
        int pools();

        /** The only pools jobs may be created in (a comma list); none: any pool, up to {@link #pools()}. */
        Optional<Set<String>> poolAllowList();

        /**
         * The most API requests one client (one remote address) may make per second, on average; past it, a 429
         * with {@code Retry-After}. Zero turns the limit off.
         */
        @WithDefault("5000")
        int requestsPerSecond();

        /** How many requests a client may make at once beyond {@link #requestsPerSecond()}. */
        @WithDefault("10000")
        int requestBurst();
    }

    /** Crash-loop quarantine (docs/architecture.md, "Crash-loop quarantine"). */
    Quarantine quarantine();

    /** Settings of crash-loop quarantine, under {@code orchestr.quarantine.*}. */
    interface Quarantine {
        /**
         * How many of a job's runs may end with their node's death within {@link #window()} before the job is
         * paused as quarantined instead of being handed to the next node; 0 turns quarantine off.
         */
        @WithDefault("3")
        int deaths();

        /** How far back the deaths of {@link #deaths()} are counted. */
        @WithDefault("10m")
        Duration window();

        /**
         * A node's death counts against a job only when the node was last heard of at most this long after the
         * job's grant, and was granted no other run in that time.
         */
        @WithDefault("30s")
        Duration diedWithin();
    }

    /** Job histories ({@code GET /api/jobs/{id}/events}). */
    History history();

    /** Settings of the job histories, under {@code orchestr.history.*}. */
    interface History {
        /**
         * How many events a job keeps, its newest: older ones are trimmed now and then (every
         * {@link #trimInterval()}), so a history may briefly hold a few more.
         */
        @WithDefault("1000")
        int maxEventsPerJob();

        /** How often each manager trims the histories that grew past {@link #maxEventsPerJob()}. */
        @WithDefault("60s")
        Duration trimInterval();
    }

    /** The dashboard's live feed ({@code GET /api/events/stream}). */
    Feed feed();

    /** Settings of the live feed, under {@code orchestr.feed.*}. */
    interface Feed {
        /**
         * How often each manager reads what changed (new job events, the overview, the views of the jobs streams
         * watch) and sends it to every open stream: one read per tick whatever the number of streams, and none while
         * no stream is open.
         */
        @WithDefault("1s")
        Duration interval();
    }

    /** Rebalancing on join (docs/architecture.md, "Rebalancing"). */
    Rebalance rebalance();

    /** Settings of rebalancing, under {@code orchestr.rebalance.*}. */
    interface Rebalance {
        /**
         * How many moves the managers together ask for in any minute, at most, to even out the nodes of a pool; each
         * move is counted when it is asked for. 0 turns rebalancing off.
         */
        @WithDefault("60")
        int maxMovesPerMinute();
    }
}
