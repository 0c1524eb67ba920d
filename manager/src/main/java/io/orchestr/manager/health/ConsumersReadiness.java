package io.orchestr.manager.health;

import io.orchestr.manager.broker.ManagerQueueConsumers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while every lane consumes the manager and claims queues: its channel is open, the broker has not
 * cancelled its consumer (a deleted queue does) and no delivery has been in hand for longer than a minute (a stuck
 * lane). Beside it, the extensions report the database (datasource check) and the broker (RabbitMQ check).
 */
@Readiness
@ApplicationScoped
class ConsumersReadiness implements HealthCheck {
    private final ManagerQueueConsumers consumers;

    ConsumersReadiness(ManagerQueueConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        ManagerQueueConsumers.LanesState state = consumers.state();
        return HealthCheckResponse.named("Orchestr manager queue consumers")
                .status(state.consuming())
                .withData("lanes", consumers.lanes())
                .withData("closed", state.closed())
                .withData("cancelled", state.cancelled())
                .withData("stuck", state.stuck())
                .build();
    }
}
