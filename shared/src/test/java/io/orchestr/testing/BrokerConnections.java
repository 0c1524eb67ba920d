package io.orchestr.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections from the broker's side with {@code rabbitmqctl close_connection}, as RabbitMQ's own test
 * tools do, choosing them by the name the client gave them.
 */
public final class BrokerConnections {
    private BrokerConnections() {
    }

    /** Closes every connection whose client-given name starts with {@code namePrefix}; returns how many. */
    public static int close(String namePrefix, String reason) {
        // one line per connection: "<pid>\t[..., {"connection_name","<name>"}, ...]"
        String marker = "{\"connection_name\",\"" + namePrefix;
        List<String> pids = rabbitmqctl("list_connections", "-s", "pid", "client_properties").lines()
                .filter(line -> line.contains(marker))
                .map(line -> line.substring(0, line.indexOf('\t')))
                .toList();
        for (String pid : pids) {
            rabbitmqctl("close_connection", pid, reason);
        }
        return pids.size();
    }

    private static String rabbitmqctl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rabbitmqctl (needed to close connections from the broker side)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running rabbitmqctl", e);
        }
    }
}
