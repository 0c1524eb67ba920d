package io.orchestr.node.exec;

import io.orchestr.shared.work.Command;
import io.orchestr.shared.work.Group;
import io.orchestr.shared.work.Work;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One run of an {@code exec} job's work tree: starts its commands in the order its groups say, each as a
 * {@link ProcessTree}, records every step, and stops what runs on demand. Thread-safe: {@link #run} runs on the
 * handler's thread (parallel steps on virtual threads of their own), and an interrupt of it SIGKILLs every running
 * step; {@link #stopAll} comes from whoever stops the run.
 *
 * <p>A job with roles runs its work once per role, each run on a node of its own: this run starts the commands of
 * its role ({@link RoleBoard#plays}) and, for a step of another role, waits until the {@link RoleBoard} says how it
 * ended, so the steps of all roles keep the order the groups give them.
 */
final class WorkRun {
    /** A step's exit code when it could not start: no such directory, say (as a shell's "cannot execute"). */
    static final int CANNOT_START = 126;
    /** A step's exit code when the run or its group was stopped before it started (as if SIGTERM ended it). */
    static final int NOT_STARTED = 128 + 15;
    static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);

    private final Map<String, String> environment;
    private final Path workDir;
    private final ProcessTree.Sink sink;
    private final RoleBoard board;
    private final Function<String, String> secrets;
    private final Clock clock;
    private final List<Step> steps = new ArrayList<>();
    /** The running trees, each with its step's path and kill grace. */
    private final Map<ProcessTree, Running> running = new HashMap<>();
    /** Path prefixes under which no step may start any more ("" stops them all). */
    private final Set<String> stopped = new HashSet<>();

    /**
     * @param environment every command's environment, before its own {@code env}
     * @param workDir     where commands run, and what a relative {@code cwd} is taken from
     * @param sink        where the commands' output goes
     * @param board       what the runs of the job's other roles did, {@link RoleBoard#NONE} for a job without roles
     * @param secrets     the value of a secret the node holds, by its name; throws {@link IllegalArgumentException}
     *                    when the node holds none of that name
     */
    WorkRun(Map<String, String> environment, Path workDir, ProcessTree.Sink sink, RoleBoard board,
            Function<String, String> secrets, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.sink = sink;
        this.board = board;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Runs {@code work} to its end: its exit code, that of its first failing step, 0 when none failed. */
    int run(Work work) throws InterruptedException {
        return run(work, "", null);
    }

    /** {@code role}: the role the item inherits, null for none. */
    private int run(Work work, String path, String inherited) throws InterruptedException {
        String role = work.role() != null ? work.role() : inherited;
        return switch (work) {
            case Command command -> command(command, path.isEmpty() ? "0" : path, role);
            case Group group when group.kind() == Group.Kind.SEQUENCE -> sequence(group, path, role);
            case Group group -> parallel(group, path, role);
        };
    }

    private int sequence(Group group, String path, String role) throws InterruptedException {
        for (int i = 0; i < group.steps().size(); i++) {
            int exit = run(group.steps().get(i), child(path, i), role);
            if (exit != 0) {
                return exit; // later steps do not start
            }
        }
        return 0;
    }

    private int parallel(Group group, String path, String role) throws InterruptedException {
        AtomicInteger firstFailure = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < group.steps().size(); i++) {
            Work step = group.steps().get(i);
            String stepPath = child(path, i);
            threads.add(Thread.ofVirtual().name("orchestr-exec-step-" + stepPath).start(() -> {
                try {
                    int exit = run(step, stepPath, role);
                    if (exit != 0 && firstFailure.compareAndSet(0, exit) && !group.continueOnError()) {
                        stopAll(prefix(path));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        return firstFailure.get();
    }

    private int command(Command command, String path, String role) throws InterruptedException {
        if (!board.plays(role)) {
            return remote(path, role);
        }
        Optional<Step> before = board.playedBefore(path);
        if (before.isPresent()) {
            return record(before.get()); // an earlier run of this role ran it, before its node died
        }
        Instant startedAt = clock.instant();
        Duration grace = command.killGrace() == null ? DEFAULT_KILL_GRACE : command.killGrace();
        ProcessTree tree = null;
        boolean stopped;
        synchronized (this) {
            if (Thread.interrupted()) {
                killAll();
                throw new InterruptedException("the run is torn down"); // between two steps: start no other
            }
            stopped = isStopped(path);
            try {
                if (!stopped) {
                    tree = ProcessTree.start(argv(command), environmentOf(command), directoryOf(command), sink);
                    running.put(tree, new Running(path, grace));
                }
            } catch (IOException | IllegalArgumentException e) {
                byte[] why = ("orchestr: step " + path + " could not start: " + e.getMessage() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                sink.write(true, why, why.length);
            }
        }
        if (stopped) {
            // not among the steps that ran, but the other roles' runs may wait for it
            board.played(new Step(path, describe(command), NOT_STARTED, startedAt, startedAt, null));
            return NOT_STARTED;
        }
        if (tree == null) {
            return record(board.played(new Step(path, describe(command), CANNOT_START, startedAt, clock.instant(),
                    null)));
        }
        boolean timedOut = false;
        try {
            if (!tree.await(command.timeout())) {
                timedOut = true;
                tree.stop(grace);
                tree.await(null);
            }
        } catch (InterruptedException e) {
            killAll(); // the run is being torn down (the fence, or the end of the cancel grace): no grace left
            throw e;
        } finally {
            synchronized (this) {
                running.remove(tree);
            }
        }
        return record(board.played(new Step(path, describe(command), tree.exitCode(), startedAt, clock.instant(),
                timedOut ? true : null)));
    }

    /** Waits for the run of {@code role} to end step {@code path}: its exit code, as if this run had run it. */
    private int remote(String path, String role) throws InterruptedException {
        Optional<Step> step;
        try {
            step = board.await(path, role, () -> stoppedAt(path));
        } catch (InterruptedException e) {
            killAll();
            throw e;
        }
        return step.isPresent() ? record(step.get()) : NOT_STARTED;
    }

    /** Adds {@code step} to the run's steps: its exit code. */
    private synchronized int record(Step step) {
        steps.add(step);
        return step.exitCode();
    }

    private synchronized boolean stoppedAt(String path) {
        return isStopped(path);
    }

    /** Stops every step under {@code prefix} ("" for all) with its kill grace, and starts no new one there. */
    synchronized void stopAll(String prefix) {
        stopped.add(prefix);
        running.forEach((tree, step) -> {
            if (step.path().startsWith(prefix)) {
                tree.stop(step.grace());
            }
        });
    }

    /** Sends SIGKILL to every running step at once, and starts no new one. */
    private synchronized void killAll() {
        stopped.add("");
        running.keySet().forEach(ProcessTree::kill);
    }

    /** The steps that ran, in the order of their paths. */
    synchronized List<Step> steps() {
        return steps.stream().sorted(Comparator.comparing(Step::path, WorkRun::comparePaths)).toList();
    }

    private boolean isStopped(String path) {
        return stopped.stream().anyMatch(path::startsWith);
    }

    private static String child(String path, int index) {
        return path.isEmpty() ? Integer.toString(index) : path + "." + index;
    }

    /** The prefix of the paths of a group's steps. */
    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ".";
    }

    private static List<String> argv(Command command) {
        return command.argv() != null ? command.argv() : List.of("/bin/sh", "-c", command.shell());
    }

    private Map<String, String> environmentOf(Command command) {
        Map<String, String> env = new HashMap<>(command.env());
        command.secretEnv().forEach((variable, secret) -> env.put(variable, secrets.apply(secret)));
        env.putAll(environment); // the job's own variables (ORCHESTR_JOB_ID, ...) are not the command's to fake
        return env;
    }

    private Path directoryOf(Command command) {
        Path dir = command.cwd() == null ? workDir : workDir.resolve(command.cwd());
        if (!dir.toFile().isDirectory()) {
            throw new IllegalArgumentException("no directory " + dir);
        }
        return dir;
    }

    private static String describe(Command command) {
        String text = command.shell() != null ? command.shell() : String.join(" ", command.argv());
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    private static int comparePaths(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int order = Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    private record Running(String path, Duration grace) {
    }
}
