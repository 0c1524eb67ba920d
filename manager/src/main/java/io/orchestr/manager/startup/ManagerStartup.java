package io.orchestr.manager.startup;

import io.orchestr.manager.broker.ManagerQueueConsumers;
import io.orchestr.shared.Causes;
import io.orchestr.shared.ServiceWait;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Starts the manager's work in any order with its services (docs/architecture.md, "Starting in any order"): the
 * database's schema is migrated, then the manager queue is consumed. When both answer at startup this happens
 * before the application serves; when one does not, the manager starts anyway and a thread of its own waits for
 * the database, then for the broker ({@link ServiceWait}: backoff with jitter, one line at most every 30 s), while
 * readiness is down and says what it waits for ({@link #waitingFor()}). The scheduled sweeps start halted
 * ({@code quarkus.scheduler.start-mode=halted}) and run once the schema is migrated.
 */
@ApplicationScoped
public class ManagerStartup {
    private static final Logger LOG = Logger.getLogger(ManagerStartup.class);

    private final Flyway flyway;
    private final Scheduler scheduler;
    private final ManagerQueueConsumers consumers;
    private final String database;
    private final String broker;
    /** What the manager waits for before it works, in words; null once it works. */
    private volatile String waitingFor = "its start";
    private Thread waiter;

    ManagerStartup(Flyway flyway, Scheduler scheduler, ManagerQueueConsumers consumers,
                   @ConfigProperty(name = "quarkus.datasource.jdbc.url") String databaseUrl,
                   @ConfigProperty(name = "quarkus.rabbitmqclient.hostname") String brokerHost,
                   @ConfigProperty(name = "quarkus.rabbitmqclient.port") int brokerPort,
                   @ConfigProperty(name = "orchestr.rabbitmq.addresses") Optional<String> brokerAddresses) {
        this.flyway = flyway;
        this.scheduler = scheduler;
        this.consumers = consumers;
        this.database = "the database at " + databaseUrl;
        // ORCHESTR_RABBITMQ_ADDRESSES, when set, replaces the host and port (BrokerAddressesConfigSource)
        this.broker = "the broker at " + brokerAddresses.filter(list -> !list.isBlank())
                .orElse(brokerHost + ":" + brokerPort);
    }

    void start(@Observes StartupEvent event) {
        try {
            migrate();
            consume();
            waitingFor = null;
        } catch (Exception e) {
            LOG.debugf("Not starting at once (%s): waiting in the background", Causes.describe(e));
            waiter = new Thread(this::waitAndStart, "orchestr-startup");
            waiter.setDaemon(true);
            waiter.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (waiter != null) {
            waiter.interrupt();
        }
    }

    /** What the manager waits for before it works ("the broker at 127.0.0.1:5672"); empty once it works. */
    public Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }

    private void waitAndStart() {
        try {
            waitingFor = database;
            ServiceWait.of(database, LOG::warn, LOG::info).until(() -> {
                migrate();
                return null;
            });
            waitingFor = broker;
            ServiceWait.of(broker, LOG::warn, LOG::info).until(() -> {
                consume();
                return null;
            });
            waitingFor = null;
            LOG.info("The database and the broker answer: this manager works now");
        } catch (InterruptedException e) {
            LOG.infof("Stopped while waiting for %s", waitingFor);
        }
    }

    /** Migrates the schema, then lets the scheduled sweeps run (they start halted: no schema, no sweep). */
    private void migrate() {
        flyway.migrate();
        scheduler.resume();
    }

    private void consume() throws Exception {
        consumers.start();
    }
}
