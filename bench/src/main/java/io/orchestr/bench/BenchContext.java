package io.orchestr.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;

/**
 * What every scenario runs with: the checkout whose {@code deploy/} scripts start the processes, where logs and
 * results go, the local services, and where tables and progress are printed.
 *
 * @param out      gets the tables only, so that it can be kept as a Markdown file
 * @param progress gets what the run is doing while it runs
 * @param keep     keep each run's database and broker queues instead of deleting them at the end
 */
record BenchContext(Path root, Path logs, JsonResults results, Services services, PrintStream out,
                    PrintStream progress, boolean keep) {

    /** Prints the report as a Markdown table and writes it as JSON. */
    void publish(Report report) {
        out.println(MarkdownTable.render(report));
        Path file = results.write(report, LocalDateTime.now()).toAbsolutePath();
        out.println("(" + (file.startsWith(root) ? root.relativize(file) : file) + ")");
        out.println();
        out.flush();
    }

    /** A progress line, so that a long run shows what it is doing. */
    void progress(String format, Object... args) {
        progress.printf("  .. " + format + "%n", args);
        progress.flush();
    }
}
