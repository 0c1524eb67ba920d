package io.orchestr.node;

import io.orchestr.shared.topology.BrokerAddress;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where and how a node connects to RabbitMQ.
 *
 * @param host        broker host name or address; with several {@code addresses}, the first of them
 * @param port        AMQP port, 5672 by default on brokers; with several {@code addresses}, the first one's
 * @param user        user name
 * @param password    password (never logged)
 * @param virtualHost virtual host, {@code /} by default
 * @param heartbeat   AMQP connection heartbeat asked of the broker, whole seconds,
 *                    {@value #DEFAULT_HEARTBEAT_SECONDS} s by default: the broker closes a silent connection (and
 *                    requeues its jobs) two to three heartbeats after it last heard from the node, so this bounds
 *                    how soon a dead, frozen or cut-off node's jobs run elsewhere, and a node's fence timeout must
 *                    be shorter than two of them
 * @param tls         how the connection uses TLS; empty, the default: plain TCP
 * @param managerUsers the broker users whose messages the node takes as the managers': job messages and control
 *                    messages (grants, drops, cancels, releases, ...) published by any other user, or without a
 *                    {@code user-id}, are refused (dead-lettered, logged). The node's own {@code user} by default,
 *                    which fits managers and nodes sharing one user; {@value #ANY_SENDER} trusts every sender
 *                    (for a rolling upgrade from managers that set no {@code user-id})
 * @param addresses   every broker node the node may connect to (the nodes of a RabbitMQ cluster), {@code host} and
 *                    {@code port} first; each connection, the first and every reconnection, tries them in a new
 *                    random order until one answers. Empty or null: {@code host:port} alone
 */
public record RabbitMqOptions(String host, int port, String user, String password, String virtualHost,
                              Duration heartbeat, Optional<RabbitMqTls> tls, Set<String> managerUsers,
                              List<BrokerAddress> addresses) {
    /** The default connection heartbeat, in seconds. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 1;
    /** The default virtual host. */
    public static final String DEFAULT_VIRTUAL_HOST = "/";
    /** As the only one of {@link #managerUsers}: every sender is taken as a manager, none is checked. */
    public static final String ANY_SENDER = "*";

    public RabbitMqOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("RabbitMQ host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("RabbitMQ port must be 1 to 65535, got " + port);
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException("RabbitMQ user and password must not be null");
        }
        if (virtualHost == null || virtualHost.isEmpty()) {
            throw new IllegalArgumentException("RabbitMQ virtual host must not be empty (the default one is '/')");
        }
        if (heartbeat == null || heartbeat.toSeconds() < 1 || heartbeat.toSeconds() > 65535
                || heartbeat.toNanosPart() != 0) {
            throw new IllegalArgumentException("RabbitMQ heartbeat must be whole seconds from 1 to 65535, got "
                    + heartbeat);
        }
        if (tls == null) {
            throw new IllegalArgumentException("RabbitMQ TLS must not be null (empty for plain TCP)");
        }
        if (managerUsers == null || managerUsers.isEmpty() || managerUsers.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("the managers' broker users must be one or more non-blank names (or "
                    + ANY_SENDER + "), got " + managerUsers);
        }
        managerUsers = Set.copyOf(managerUsers);
        BrokerAddress first = new BrokerAddress(host, port);
        if (addresses == null || addresses.isEmpty()) {
            addresses = List.of(first);
        } else if (!addresses.getFirst().equals(first)) {
            throw new IllegalArgumentException("RabbitMQ host and port must be the first of the addresses "
                    + BrokerAddress.join(addresses) + ", got " + first);
        } else {
            addresses = List.copyOf(addresses);
        }
    }

    /** The options of one broker node, {@code host:port}, as before there were {@link #addresses}. */
    public RabbitMqOptions(String host, int port, String user, String password, String virtualHost,
                           Duration heartbeat, Optional<RabbitMqTls> tls, Set<String> managerUsers) {
        this(host, port, user, password, virtualHost, heartbeat, tls, managerUsers, List.of());
    }

    /**
     * Options for the default virtual host and a {@value #DEFAULT_HEARTBEAT_SECONDS} s heartbeat, taking messages
     * of {@code user} (the node's own) as the managers'.
     */
    public static RabbitMqOptions of(String host, int port, String user, String password) {
        return new RabbitMqOptions(host, port, user, password, DEFAULT_VIRTUAL_HOST,
                Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS), Optional.empty(), Set.of(user == null ? "" : user));
    }

    public RabbitMqOptions withVirtualHost(String virtualHost) {
        return new RabbitMqOptions(host, port, user, password, virtualHost, heartbeat, tls, managerUsers, addresses);
    }

    public RabbitMqOptions withHeartbeat(Duration heartbeat) {
        return new RabbitMqOptions(host, port, user, password, virtualHost, heartbeat, tls, managerUsers, addresses);
    }

    /** Connects over TLS as {@code tls} says (the broker's TLS port, usually 5671, goes in {@code port}). */
    public RabbitMqOptions withTls(RabbitMqTls tls) {
        return new RabbitMqOptions(host, port, user, password, virtualHost, heartbeat, Optional.of(tls), managerUsers,
                addresses);
    }

    /**
     * Takes only messages published by {@code users} as the managers' ({@link #managerUsers}); {@value #ANY_SENDER}
     * alone checks no sender.
     */
    public RabbitMqOptions withManagerUsers(Set<String> users) {
        return new RabbitMqOptions(host, port, user, password, virtualHost, heartbeat, tls, users, addresses);
    }

    /**
     * Connects to any of {@code addresses} (the nodes of a RabbitMQ cluster, as {@code ORCHESTR_RABBITMQ_ADDRESSES}
     * lists them): {@link #host} and {@link #port} become the first one's. With TLS, each node's certificate must
     * name its own host.
     */
    public RabbitMqOptions withAddresses(List<BrokerAddress> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("RabbitMQ addresses must name at least one broker node");
        }
        BrokerAddress first = addresses.getFirst();
        return new RabbitMqOptions(first.host(), first.port(), user, password, virtualHost, heartbeat, tls,
                managerUsers, addresses);
    }

    /** {@code host:port}, or {@code host:port,host:port} with several {@link #addresses}, as logs show the broker. */
    public String address() {
        return BrokerAddress.join(addresses);
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return (tls.isPresent() ? "amqps://" : "amqp://") + user + "@" + address() + " vhost " + virtualHost
                + ", heartbeat " + heartbeat.toSeconds() + "s" + tls.map(t -> ", " + t).orElse("")
                + ", managers " + String.join(",", new TreeSet<>(managerUsers));
    }
}
