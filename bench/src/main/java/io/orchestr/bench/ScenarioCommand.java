package io.orchestr.bench;

import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A scenario as a subcommand: its sizes are picocli options whose field initialisers are the defaults, so that
 * {@code all} can run a scenario with its defaults by creating it.
 */
abstract class ScenarioCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    /** Runs the scenario and publishes one report per table it measured. */
    abstract void run(BenchContext bench) throws Exception;

    @Override
    public Integer call() throws Exception {
        run(common.context());
        return 0;
    }
}
