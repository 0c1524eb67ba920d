package io.orchestr.node.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.node.JobContext;
import io.orchestr.node.JobHandler;
import io.orchestr.shared.work.RoleRun;
import io.orchestr.shared.work.Work;
import io.orchestr.shared.work.WorkParser;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The built-in {@code exec} type: runs the commands its {@code params} name ({@link WorkParser}), each as a
 * {@link ProcessTree}, heartbeating while they run. A cancel, pause, move or timeout sends SIGTERM to every running
 * command's group and SIGKILL after its {@code killGrace}; an interrupt of the handler (the end of the node's cancel
 * grace, or its fence) sends SIGKILL at once. Exit 0 completes the job; another exit code fails it (the restart
 * policy decides what follows); the {@link ExecResult} is the job's result either way.
 *
 * <p>A job whose work names roles runs once per role, each run on a node of its own ({@link RoleRun}): this run
 * plays its role's steps and learns how the others' ended through a {@link CheckpointBoard}, which needs the node's
 * client of the manager ({@code ORCHESTR_NODE_MANAGER_URL}).
 */
public final class ExecJob implements JobHandler {
    /** The variables of the node that a command gets: nothing else of the node's (no broker or token secrets). */
    static final List<String> NODE_VARIABLES = List.of("PATH", "HOME", "LANG");
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final Path workDir;
    private final NodeSecrets secrets;
    private final Map<String, String> nodeEnvironment;
    private final Clock clock;

    /**
     * @param workDir         where commands run, and what a relative {@code cwd} is taken from
     * @param secretsDir      the folder of the secrets the node holds for the commands' {@code env}; null for none
     * @param nodeEnvironment the node's environment, of which only {@link #NODE_VARIABLES} reach the commands
     */
    public ExecJob(Path workDir, Path secretsDir, Map<String, String> nodeEnvironment, Clock clock) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.secrets = secretsDir == null ? NodeSecrets.NONE : new NodeSecrets(secretsDir.toAbsolutePath());
        this.nodeEnvironment = Map.copyOf(nodeEnvironment);
        this.clock = clock;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        JsonNode params = ctx.params(JsonNode.class);
        RoleRun role = RoleRun.of(params, ctx.jobId());
        Work work = WorkParser.parse(role == null ? params : role.work());
        Map<String, String> environment = environment(ctx);
        if (role != null) {
            environment.put("ORCHESTR_ROLE", role.role());
        }
        Tail stdout = new Tail();
        Tail stderr = new Tail();
        SecretMask mask = new SecretMask((isError, bytes, length) -> {
            (isError ? stderr : stdout).add(bytes, length);
            ctx.output().write(bytes, 0, length);
        });
        WorkRun run = new WorkRun(environment, workDir, mask, role == null ? RoleBoard.NONE
                : new CheckpointBoard(ctx, role), name -> {
                    String value = secrets.value(name);
                    mask.add(value); // before the command can print it
                    return value;
                }, clock);
        long started = System.nanoTime();
        AtomicBoolean ended = new AtomicBoolean();
        Thread.ofVirtual().name("orchestr-exec-watch-" + ctx.jobName()).start(() -> {
            while (!ended.get() && !ctx.awaitCancellation(HEARTBEAT)) {
                ctx.heartbeat(); // the commands run: the handler is alive
            }
            if (!ended.get()) {
                run.stopAll("");
            }
        });
        int code;
        try {
            code = run.run(work); // an interrupt SIGKILLs every running step at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            ended.set(true);
            mask.flush();
        }
        if (ctx.isCancelled()) {
            return; // stopped on purpose: the node reports the cancel, pause or move, not a failure
        }
        List<Step> steps = run.steps();
        ctx.result(new ExecResult(code, Duration.ofNanos(System.nanoTime() - started).toMillis(), stdout.text(),
                stderr.text(), steps));
        if (code != 0) {
            throw new CommandFailedException(firstFailure(steps, code));
        }
    }

    private Map<String, String> environment(JobContext ctx) {
        Map<String, String> env = new HashMap<>();
        NODE_VARIABLES.forEach(name -> {
            if (nodeEnvironment.containsKey(name)) {
                env.put(name, nodeEnvironment.get(name));
            }
        });
        env.put("ORCHESTR_JOB_ID", ctx.jobId().toString());
        env.put("ORCHESTR_JOB_NAME", ctx.jobName());
        env.put("ORCHESTR_NODE_ID", ctx.nodeId().toString());
        env.put("ORCHESTR_NODE_NAME", ctx.nodeName());
        env.put("ORCHESTR_EPOCH", Long.toString(ctx.epoch()));
        ctx.group().ifPresent(group -> env.put("ORCHESTR_GROUP", group));
        ctx.index().ifPresent(index -> env.put("ORCHESTR_INDEX", Integer.toString(index)));
        return env;
    }

    private static String firstFailure(List<Step> steps, int code) {
        return steps.stream().filter(step -> step.exitCode() == code).findFirst()
                .map(step -> "step " + step.path() + " (" + step.command() + ") exited with " + code
                        + (Boolean.TRUE.equals(step.timedOut()) ? " after its timeout" : ""))
                .orElse("the commands exited with " + code);
    }
}
