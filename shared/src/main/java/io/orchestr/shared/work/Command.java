package io.orchestr.shared.work;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run: either an argv (run as is, no shell) or a shell string (run by {@code /bin/sh -c}).
 *
 * @param argv      the program and its arguments; null when {@code shell} is given
 * @param shell     the text for {@code /bin/sh -c}; null when {@code argv} is given
 * @param env       variables added to the command's clean environment; never null, empty when none
 * @param cwd       the working folder; null for the node's choice
 * @param timeout   how long the command may run before its process tree is ended; null for no limit of its own
 * @param killGrace how long a TERMed tree gets before KILL; null for the node's default
 * @param role      the role this command names itself; null when it inherits one
 * @param secretEnv variables whose values are secrets the node holds, by the secret's name
 *                  ({@code "env": {"TOKEN": {"secret": "deploy-token"}}}); never null, empty when none
 */
public record Command(List<String> argv, String shell, Map<String, String> env, String cwd, Duration timeout,
                      Duration killGrace, String role, Map<String, String> secretEnv) implements Work {
    public Command {
        if ((argv == null) == (shell == null)) {
            throw new IllegalArgumentException("a command has exactly one of argv and shell");
        }
        argv = argv == null ? null : List.copyOf(argv);
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        secretEnv = Map.copyOf(Objects.requireNonNull(secretEnv, "secretEnv"));
    }

    /** A command that names no secret. */
    public Command(List<String> argv, String shell, Map<String, String> env, String cwd, Duration timeout,
                   Duration killGrace, String role) {
        this(argv, shell, env, cwd, timeout, killGrace, role, Map.of());
    }

    /** A command run as is, with nothing else set. */
    public static Command ofArgv(List<String> argv) {
        return new Command(argv, null, Map.of(), null, null, null, null);
    }

    /** A command run by {@code /bin/sh -c}, with nothing else set. */
    public static Command ofShell(String shell) {
        return new Command(null, shell, Map.of(), null, null, null, null);
    }
}
