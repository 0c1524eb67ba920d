package io.orchestr.cli;

import io.orchestr.client.OrchestratorClient;
import io.orchestr.shared.api.JobUpdate;
import io.orchestr.shared.api.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * {@code orchestr jobs edit}: changes a job that waits (Queued or Paused) as {@code PATCH /api/jobs/{id}} does;
 * each field is set ({@code --timeout PT5M}), cleared to its default ({@code --clear-timeout}) or left alone.
 */
@Command(name = "edit", description = "Changes a job that waits (Queued or Paused); its next run follows the change."
        + " Each field is set, cleared to its default (--clear-...) or left as it is.", mixinStandardHelpOptions = true)
final class JobEditCommand extends JobSubcommand implements Callable<Integer> {
    @Option(names = "--argument", description = "Free text handed to the handler.")
    String argument;

    @Option(names = "--clear-argument", description = "Make the argument empty.")
    boolean clearArgument;

    @Option(names = "--params", description = "JSON merged into the job's params (RFC 7396: an object sets its keys,"
            + " a key set to null removes one; anything else replaces them).")
    String params;

    @Option(names = "--clear-params", description = "Remove the params.")
    boolean clearParams;

    @Option(names = "--restart", description = "on-failure, always or never.")
    String restart;

    @Option(names = "--clear-restart", description = "Restart on-failure, the default.")
    boolean clearRestart;

    @Option(names = "--max-restarts", description = "Restarts before the job ends for good.")
    Integer maxRestarts;

    @Option(names = "--clear-max-restarts", description = "No maximum of restarts.")
    boolean clearMaxRestarts;

    @Option(names = "--heartbeat-timeout", description = "How long a run may go without a heartbeat (ISO-8601).")
    Duration heartbeatTimeout;

    @Option(names = "--clear-heartbeat-timeout", description = "The node's default heartbeat timeout.")
    boolean clearHeartbeatTimeout;

    @Option(names = "--timeout", description = "How long one run may last (ISO-8601, e.g. PT30M).")
    Duration timeout;

    @Option(names = "--clear-timeout", description = "No limit on how long a run lasts.")
    boolean clearTimeout;

    @Override
    public Integer call() {
        JobUpdate update = change(JobUpdate.none(), "argument", argument, clearArgument, JobUpdate::withArgument,
                JobUpdate::withoutArgument);
        update = change(update, "params", params == null ? null : JobsCommand.json(spec, params), clearParams,
                JobUpdate::withParams, JobUpdate::withoutParams);
        update = change(update, "restart", restart, clearRestart, JobUpdate::withRestart, JobUpdate::withoutRestart);
        update = change(update, "max-restarts", maxRestarts, clearMaxRestarts, JobUpdate::withMaxRestarts,
                JobUpdate::withoutMaxRestarts);
        update = change(update, "heartbeat-timeout", heartbeatTimeout, clearHeartbeatTimeout,
                JobUpdate::withHeartbeatTimeout, JobUpdate::withoutHeartbeatTimeout);
        update = change(update, "timeout", timeout, clearTimeout, JobUpdate::withTimeout, JobUpdate::withoutTimeout);
        if (update.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to change: give an option that sets or clears"
                    + " a field (see --help)");
        }
        OrchestratorClient client = cli().client();
        JobView edited = client.update(job(client).id(), update);
        cli().print(out(), edited, JobsCommand.describe(edited));
        return ExitCode.OK;
    }

    /** {@code update} also setting {@code --field} to {@code value} when given, or clearing it when asked. */
    private <T> JobUpdate change(JobUpdate update, String field, T value, boolean clear,
                                 BiFunction<JobUpdate, T, JobUpdate> set, UnaryOperator<JobUpdate> unset) {
        if (value != null && clear) {
            throw new ParameterException(spec.commandLine(), "--" + field + " and --clear-" + field
                    + " are mutually exclusive");
        }
        if (value != null) {
            return set.apply(update, value);
        }
        return clear ? unset.apply(update) : update;
    }
}
