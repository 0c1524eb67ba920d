package io.orchestr.bench;

import picocli.CommandLine;

/** Entry point of {@code deploy/bench.sh}: {@code java -jar bench/target/orchestr-bench.jar <scenario> [options]}. */
final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        // the last safety net, also for processes started outside a cluster (the floor's holder): whatever ends
        // this JVM short of SIGKILL ends the processes it started too
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
                "bench-kill-children"));
        CommandLine commandLine = new CommandLine(new BenchCommand())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("bench " + command.getCommandName() + " failed: " + e.getMessage());
                    if (!(e instanceof BenchException)) {
                        e.printStackTrace(command.getErr());
                    }
                    return 1;
                });
        System.exit(commandLine.execute(args));
    }
}
