package io.orchestr.manager.config;

import io.orchestr.shared.json.WireCodec;
import io.orchestr.shared.topology.Topology;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** The plain objects the manager's beans share: its topology, the wire codec and the clock. */
@Singleton
final class ManagerBeans {

    @Produces
    @Singleton
    Topology topology(OrchestrConfig config) {
        return new Topology(config.prefix(), config.queueType());
    }

    @Produces
    @Singleton
    WireCodec wireCodec() {
        return new WireCodec();
    }

    /** Ticks in milliseconds, the precision the database keeps, so that what the API answers is what it stores. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }
}
