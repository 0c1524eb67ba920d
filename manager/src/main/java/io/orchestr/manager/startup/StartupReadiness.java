package io.orchestr.manager.startup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Down while the manager waits for the database or the broker before it works, and names what it waits for. */
@Readiness
@ApplicationScoped
class StartupReadiness implements HealthCheck {
    private final ManagerStartup startup;

    StartupReadiness(ManagerStartup startup) {
        this.startup = startup;
    }

    @Override
    public HealthCheckResponse call() {
        return startup.waitingFor()
                .map(what -> HealthCheckResponse.named("Orchestr manager startup").down().withData("waitingFor", what)
                        .build())
                .orElseGet(() -> HealthCheckResponse.up("Orchestr manager startup"));
    }
}
