package io.orchestr.node.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One command running as a process group of its own, under a guardian shell that ends the whole group.
 *
 * <p>The node starts {@code /bin/sh -c GUARDIAN}; the guardian starts the command with {@code setsid} (a new session
 * and process group, whose id is the command's pid) and a watcher that blocks reading the guardian's stdin, a pipe
 * whose only writer is the node's JVM. The pipe reaches end-of-file the moment the JVM closes it or its process ends
 * in any way, SIGKILL included (the kernel closes a dead process's descriptors), and the watcher then sends SIGKILL
 * to the whole group. That is why no parent-death signal is used: {@code PR_SET_PDEATHSIG} follows the thread that
 * forked, reaches only the direct child, and a grandchild would survive it; the pipe needs neither a particular
 * thread nor a live parent. A SIGTERM to the guardian ({@link #stop(Duration)}) is passed on to the whole group.
 * When the command exits, the guardian sends SIGKILL to what is left of its group, so nothing the command started
 * in its group outlives it. A process that leaves the group ({@code setsid}, a daemon's double fork with a new
 * session) escapes all of this; the architecture document says so.
 */
final class ProcessTree {
    /**
     * The guardian: {@code $@} is the command. The TERM trap comes first, so that a stop asked while the guardian
     * starts is not lost, and it signals the command's pid as well as its group, which does not exist until
     * {@code setsid} ran. {@code wait} returns early when the trap runs, so it waits again until the command itself
     * ended. {@code kill -SIG -pgid} (no {@code --}: dash does not take it) reaches the whole group.
     */
    private static final String GUARDIAN = String.join("\n",
            "trap 'interrupted=1; stop=1; [ -n \"$pg\" ] && kill -TERM \"$pg\" -\"$pg\" 2>/dev/null' TERM",
            "exec 3<&0",
            "setsid \"$@\" </dev/null 3<&- &",
            "pg=$!",
            "(read -r _ <&3; kill -KILL \"$pg\" -\"$pg\") </dev/null >/dev/null 2>&1 &",
            "watcher=$!",
            "exec 3<&-",
            "[ -n \"$stop\" ] && kill -TERM \"$pg\" -\"$pg\" 2>/dev/null",
            "while :; do interrupted=; wait \"$pg\"; status=$?; [ -z \"$interrupted\" ] && break; done",
            "kill -KILL -\"$pg\" 2>/dev/null",
            "kill \"$watcher\" 2>/dev/null",
            "exit \"$status\"");

    private static final Duration PUMP_DRAIN = Duration.ofSeconds(1);

    /** Where a tree's output goes: the run's output and the tails, from the tree's pump threads. */
    interface Sink {
        void write(boolean stderr, byte[] bytes, int length);
    }

    private final Process guardian;
    private final List<Thread> pumps = new ArrayList<>(2);

    private ProcessTree(Process guardian) {
        this.guardian = guardian;
    }

    /**
     * Starts {@code argv} in {@code cwd} with exactly {@code env} as its environment; its stdin is empty.
     *
     * @throws IOException when the guardian shell cannot start (the command's own failure to start is exit 126/127)
     */
    static ProcessTree start(List<String> argv, Map<String, String> env, Path cwd, Sink sink) throws IOException {
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", GUARDIAN, "orchestr-guardian"));
        line.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(line).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        ProcessTree tree = new ProcessTree(builder.start());
        tree.pump(tree.guardian.getInputStream(), false, sink);
        tree.pump(tree.guardian.getErrorStream(), true, sink);
        return tree;
    }

    private void pump(InputStream from, boolean stderr, Sink sink) {
        // platform threads: a pipe read blocks its carrier thread
        String name = "orchestr-exec-" + guardian.pid() + (stderr ? "-err" : "-out");
        Thread thread = Thread.ofPlatform().daemon().name(name).start(() -> {
                    byte[] buffer = new byte[8192];
                    try (from) {
                        for (int n; (n = from.read(buffer)) > 0; ) {
                            sink.write(stderr, buffer, n);
                        }
                    } catch (IOException e) {
                        // the pipe broke: the tree is gone, and so is its output
                    }
                });
        pumps.add(thread);
    }

    /**
     * Passes SIGTERM to the whole group, and SIGKILL after {@code grace} unless it ended by then; the command may
     * handle the SIGTERM and take its time.
     */
    void stop(Duration grace) {
        // the handle's destroy, not Process.destroy(): that one also closes the pipes, and the closed stdin would
        // make the watcher SIGKILL the group at once, with no grace
        guardian.toHandle().destroy();
        CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS).execute(this::kill);
    }

    /** Sends SIGKILL to the whole group now (the watcher sees its pipe closed). */
    void kill() {
        try {
            OutputStream pipe = guardian.getOutputStream();
            pipe.close();
        } catch (IOException e) {
            // closed already: the watcher has been told
        }
    }

    /**
     * Waits until the command ended and its group was ended with it, and its output was read to its end.
     *
     * @param timeout how long to wait at most, null for as long as it takes
     * @return false when {@code timeout} passed first
     */
    boolean await(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            guardian.waitFor();
        } else if (!guardian.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        kill(); // the watcher reads end-of-file and ends
        for (Thread pump : pumps) {
            // a process that left the group may keep the pipe open: its output is not waited for
            pump.join(PUMP_DRAIN);
        }
        return true;
    }

    /** The command's exit code, 128 + the signal when a signal ended it; valid after {@link #await}. */
    int exitCode() {
        return guardian.exitValue();
    }
}
