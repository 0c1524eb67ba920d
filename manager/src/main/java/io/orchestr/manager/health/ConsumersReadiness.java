package io.orchestr.manager.health;

import io.orchestr.manager.broker.ManagerQueueConsumers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while every lane consumes the manager queue. Beside it, the extensions report the database
 * (datasource check) and the broker (RabbitMQ check).
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
        return HealthCheckResponse.named("Orchestr manager queue consumers")
                .status(consumers.allLanesOpen())
                .withData("lanes", consumers.lanes())
                .build();
    }
}
