package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.WaitTimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;

@Command(name = "stop", description = "Stop one or more running containers (stop signal, then SIGKILL after a grace period).")
class StopCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Option(names = {"-t", "--time", "--timeout"}, paramLabel = "SECONDS",
            description = "Seconds to wait before killing (default: the container's stop timeout).")
    Integer seconds;

    @Option(names = {"-s", "--signal"}, description = "Signal to send (default: the container's stop signal).")
    String signal;

    @Override
    Integer run(Engine engine) {
        return forEach(containers, name -> {
            Container c = engine.containers().get(name);
            if (signal == null) {
                if (seconds == null) {
                    c.stop();
                } else {
                    c.stop(Duration.ofSeconds(seconds));
                }
            } else {
                stopWith(c, signal);
            }
            out().println(name);
        });
    }

    /** The engine's stop, with another signal than the container's own. */
    private void stopWith(Container c, String stopSignal) {
        if (c.status() != dev.jcontainers.api.ContainerStatus.RUNNING) {
            return;
        }
        c.kill(stopSignal);
        try {
            c.waitFor(Duration.ofSeconds(seconds == null ? 10 : seconds));
        } catch (WaitTimeoutException e) {
            c.kill("KILL");
            c.waitFor(Duration.ofSeconds(30));
        }
    }
}
