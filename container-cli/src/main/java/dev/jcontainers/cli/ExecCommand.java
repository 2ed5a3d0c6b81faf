package dev.jcontainers.cli;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code jc exec}: runs a command in a running container and exits with its exit code. Options end at the
 * container name, so the command's own flags pass through. With {@code -i} and/or {@code -t} the process is
 * attached (input forwarded as typed, output as written; see {@link Interactive}); otherwise its output is
 * printed when it has finished.
 */
@Command(name = "exec", description = "Execute a command in a running container.")
class ExecCommand extends EngineCommand implements StopsAtImage {
    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Username or UID (format: <name|uid>[:<group|gid>]).")
    String user;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set environment variables (KEY alone: "
            + "its value here).")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open: forward it to the process as it comes.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND [ARG...]")
    List<String> command;

    @Override
    Integer run(Engine engine) throws Exception {
        ExecOptions options = ExecOptions.defaults().withUser(user).withWorkingDir(workdir);
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq >= 0) {
                options = options.withEnv(e.substring(0, eq), e.substring(eq + 1));
            } else if (System.getenv(e) != null) { // Docker takes a bare name's value from the client
                options = options.withEnv(e, System.getenv(e));
            }
        }
        if (interactive || tty) {
            var size = Interactive.initialSize();
            try (AttachedProcess process = engine.containers().get(container).execAttached(
                    tty ? options.withTerminalSize(size.rows(), size.cols()) : options,
                    command.toArray(String[]::new))) {
                return Interactive.relay(process, interactive, in(), out(), err());
            }
        }
        ExecResult result = engine.containers().get(container).exec(options, command.toArray(String[]::new));
        out().print(result.stdout());
        out().flush();
        spec.commandLine().getErr().print(result.stderr());
        spec.commandLine().getErr().flush();
        return result.exitCode();
    }
}
