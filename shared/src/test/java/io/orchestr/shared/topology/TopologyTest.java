package io.orchestr.shared.topology;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyTest {
    private static final String DEAD = "orchestr.dead";

    @Test
    void quorumQueuesNameTheirDeliveryLimitAndLeaderLocatorAndTheDeadLetterQueueIsQuorumToo() throws Exception {
        Topology topology = new Topology("orchestr", QueueType.QUORUM);
        Map<String, Map<String, Object>> declared = declarations(topology);

        Map<String, Object> replicated = Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", DEAD,
                "x-delivery-limit", Topology.QUORUM_DELIVERY_LIMIT, "x-queue-leader-locator", "balanced");
        assertThat(declared.get("orchestr.jobs.default")).isEqualTo(replicated);
        assertThat(declared.get("orchestr.exec.default")).isEqualTo(replicated);
        assertThat(declared.get("orchestr.manager")).isEqualTo(replicated);
        assertThat(declared.get("orchestr.manager.claims")).isEqualTo(replicated);
        assertThat(declared.get(DEAD)).isEqualTo(Map.of("x-queue-type", "quorum", "x-queue-leader-locator",
                "balanced"));
    }

    @Test
    void classicQueuesAreDeclaredAsBeforeQuorumQueuesHadArgumentsOfTheirOwn() throws Exception {
        Map<String, Map<String, Object>> declared = declarations(Topology.defaults());

        Map<String, Object> classic = Map.of("x-queue-type", "classic", "x-dead-letter-exchange", DEAD);
        assertThat(declared.get("orchestr.jobs.default")).isEqualTo(classic);
        assertThat(declared.get("orchestr.manager")).isEqualTo(classic);
        assertThat(declared.get(DEAD)).isEmpty();
    }

    /** The arguments of every queue {@code topology} declares for pool {@code default}, by queue name. */
    private static Map<String, Map<String, Object>> declarations(Topology topology) throws Exception {
        Map<String, Map<String, Object>> declared = new HashMap<>();
        Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
                new Class<?>[] {Channel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("queueDeclare") && args != null && args.length == 5) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> arguments = (Map<String, Object>) args[4];
                        declared.put((String) args[0], arguments);
                    }
                    return null;
                });
        topology.declareShared(channel);
        topology.declareJobQueue(channel, "default");
        topology.declareExecQueue(channel, "default");
        return declared;
    }
}
