package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A subcommand that opens the engine, runs, and closes it. */
abstract class EngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    abstract Integer run(Engine engine) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try (Engine engine = jc().openEngine()) {
            return run(engine);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private Jc jc() {
        Object cmd = spec.root().userObject();
        return (Jc) cmd;
    }
}
