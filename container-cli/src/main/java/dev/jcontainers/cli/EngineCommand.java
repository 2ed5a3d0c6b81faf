package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions.LaunchPreparation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** A subcommand that opens the engine, runs, and closes it. */
abstract class EngineCommand implements Callable<Integer> {
    /** Injected for an annotated command; {@link #specInCode} sets it for one declared in code. */
    @Spec
    CommandSpec spec;

    /** This command's model, named and described, for its options to be declared in code ({@link SpecBuilder}). */
    CommandSpec specInCode(String name, String description) {
        spec = CommandSpec.wrapWithoutInspection(this).name(name);
        spec.usageMessage().description(description);
        return spec;
    }

    abstract Integer run(Engine engine) throws Exception;

    /**
     * Launch helpers the engine prepares for this verb: none unless the verb starts a container the helper can
     * serve (see {@link LaunchPreparation}); then one, from the engine's opening on.
     */
    LaunchPreparation launchPreparation() {
        return LaunchPreparation.NONE;
    }

    @Override
    public final Integer call() throws Exception {
        try (Engine engine = jc().openEngine(launchPreparation())) {
            return run(engine);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The input {@code -i} forwards. */
    InputStream in() {
        return jc().in;
    }

    /** Standard output for bytes rather than text. */
    java.io.OutputStream binaryOut() {
        return jc().binaryOut;
    }

    /** Reports a failure as Docker's CLI does ({@code Error: ...}) and returns {@code code}. */
    int error(Exception e, int code) {
        err().println("Error: " + e.getMessage());
        if (jc().debug) {
            e.printStackTrace(err());
        }
        err().flush();
        return code;
    }

    /** Applies {@code action} to each argument, reporting failures and going on: Docker's multi-target verbs. */
    int forEach(List<String> targets, TargetAction action) {
        int code = 0;
        for (String target : targets) {
            try {
                action.apply(target);
            } catch (ContainerException | IllegalArgumentException e) {
                code = error(e, 1);
            }
        }
        out().flush();
        return code;
    }

    interface TargetAction {
        void apply(String target);
    }

    private Jc jc() {
        Object cmd = spec.root().userObject();
        return (Jc) cmd;
    }
}
