package io.orchestr.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools of the services the fault tests start (mariadb-admin, rabbitmqctl). */
final class Commands {
    private Commands() {
    }

    /**
     * Runs {@code command}, appending its output to {@code log}, and returns its exit code; -1 when it could not
     * start or ran longer than a minute.
     */
    static int exitCode(List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
