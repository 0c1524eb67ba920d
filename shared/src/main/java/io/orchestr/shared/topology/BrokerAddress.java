package io.orchestr.shared.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broker node a manager or node may connect to: the nodes of a RabbitMQ cluster are listed in {@code
 * ORCHESTR_RABBITMQ_ADDRESSES} as {@code host:port,host:port}, and a connection goes to any of them.
 *
 * @param host host name or IP address (an IPv6 address without its brackets)
 * @param port AMQP port, 1 to 65535
 */
public record BrokerAddress(String host, int port) {
    /** The setting that lists the broker nodes, as an environment variable. */
    public static final String SETTING = "ORCHESTR_RABBITMQ_ADDRESSES";

    private static final Pattern ENTRY = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^\\s:\\[\\]]+)):([0-9]{1,5})");

    public BrokerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("broker host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker port must be 1 to 65535, got " + port);
        }
    }

    /**
     * Reads a list {@code host:port,host:port} (an IPv6 host in brackets: {@code [::1]:5672}); spaces around the
     * commas are ignored, a repeated address counts once.
     *
     * @param setting the setting's name, for the error ({@link #SETTING}, say)
     * @param value   the list
     * @return the addresses in the order given, at least one
     * @throws IllegalArgumentException naming {@code setting} and the entry at fault when the list is empty or an
     *                                  entry is not {@code host:port} with a port from 1 to 65535
     */
    public static List<BrokerAddress> parseList(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty: list the broker nodes as host:port,host:port");
        }
        LinkedHashSet<BrokerAddress> addresses = new LinkedHashSet<>();
        for (String entry : value.split(",", -1)) {
            String trimmed = entry.strip();
            Matcher matcher = ENTRY.matcher(trimmed);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(setting + "=" + value + ": '" + trimmed + "' is not host:port"
                        + " (write host:port,host:port, an IPv6 address as [::1]:5672)");
            }
            int port = Integer.parseInt(matcher.group(3));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(setting + "=" + value + ": '" + trimmed + "' has port " + port
                        + ", which is not 1 to 65535");
            }
            addresses.add(new BrokerAddress(matcher.group(1) != null ? matcher.group(1) : matcher.group(2), port));
        }
        return List.copyOf(new ArrayList<>(addresses));
    }

    /** {@code host:port}, an IPv6 host in brackets; what {@link #parseList} reads back. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The addresses as {@link #parseList} reads them: {@code host:port,host:port}. */
    public static String join(List<BrokerAddress> addresses) {
        return String.join(",", addresses.stream().map(BrokerAddress::toString).toList());
    }
}
