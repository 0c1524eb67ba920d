package io.orchestr.node.core;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consumer argument that lifts RabbitMQ's delivery acknowledgement timeout for the job consumers, on the
 * brokers that take it. A job's message stays unacked as long as the job runs, and the broker's default timeout
 * (30 min) would close the channel under every long job.
 *
 * <p>RabbitMQ takes {@code x-consumer-timeout} per consumer from 3.11.15; 4.3 rejects it on classic queues.
 * Older and newer brokers need the timeout off in their own configuration ({@code deploy/rabbitmq}).
 */
final class ConsumerTimeout {
    static final String ARGUMENT = "x-consumer-timeout";
    /** The largest value the broker accepts, about 24.8 days. */
    static final int LONGEST_MILLIS = Integer.MAX_VALUE;

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ConsumerTimeout() {
    }

    /** The job consumers' arguments for a broker that reports {@code brokerVersion} (null when it did not). */
    static Map<String, Object> consumerArguments(String brokerVersion) {
        return supported(brokerVersion) ? Map.of(ARGUMENT, LONGEST_MILLIS) : Map.of();
    }

    private static boolean supported(String brokerVersion) {
        Matcher version = brokerVersion == null ? null : VERSION.matcher(brokerVersion);
        if (version == null || !version.find()) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        int patch = Integer.parseInt(version.group(3));
        int ordinal = major * 1_000_000 + minor * 1_000 + patch;
        return ordinal >= 3_011_015 && ordinal < 4_003_000;
    }
}
