package io.orchestr.node.quarkus;

import io.orchestr.node.RabbitMqOptions;
import io.orchestr.shared.topology.BrokerAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether the node's broker answers: opens a TCP connection to its address (to each of a cluster's addresses in
 * turn, until one answers) and closes it at once. The node starts
 * only once it answers, as its first connection would fail otherwise and close the node. Only the address is
 * tried, not AMQP, TLS or the login: those the node's own first connection checks, with its own settings (TLS
 * included), and a failure there says what is wrong and ends the node.
 */
final class BrokerProbe {
    private static final int TIMEOUT_MILLIS = 5_000;

    private BrokerProbe() {
    }

    /** Returns when a broker's port accepted a connection; throws the last failure while none does. */
    static void connect(RabbitMqOptions options) throws IOException {
        IOException failure = null;
        for (BrokerAddress address : options.addresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.host(), address.port()), TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                failure = e;
            }
        }
        throw failure;
    }
}
