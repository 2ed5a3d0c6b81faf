package dev.jcontainers.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The options of {@code run} and {@code create}, declared in code, land in the fields the commands read. */
class SpecBuilderTest {

    private static RunCommand parseRun(String... args) {
        CommandLine cli = new CommandLine(RunCommand.spec());
        cli.setStopAtPositional(true);
        cli.parseArgs(args);
        return (RunCommand) cli.getCommand();
    }

    @Test
    void eachKindOfValueReachesItsField() {
        RunCommand run = parseRun("--name", "web", "--rm", "-d", "-e", "A=1", "--env", "B", "--env-file", "/e.env",
                "--cpus", "0.5", "-c", "512", "--pids-limit", "7", "--health-retries", "3", "--stop-timeout", "4",
                "--net", "bridge", "-it", "busybox:1.36", "sh", "-c", "echo --rm");
        ContainerOptions o = run.options;
        assertThat(o.name).isEqualTo("web");
        assertThat(o.autoRemove).isTrue();
        assertThat(run.detach).isTrue();
        assertThat(o.env).containsExactly("A=1", "B");
        assertThat(o.envFiles).containsExactly(Path.of("/e.env"));
        assertThat(o.cpus).isEqualTo(0.5);
        assertThat(o.cpuShares).isEqualTo(512L);
        assertThat(o.pidsLimit).isEqualTo(7L);
        assertThat(o.healthRetries).isEqualTo(3);
        assertThat(o.stopTimeout).isEqualTo(4);
        assertThat(o.network).isEqualTo("bridge");
        assertThat(o.interactive).isTrue();
        assertThat(o.tty).isTrue();
        assertThat(o.image).isEqualTo("busybox:1.36");
        assertThat(o.command).containsExactly("sh", "-c", "echo --rm");
    }

    @Test
    void unsetOptionsKeepTheFieldsDefaults() {
        RunCommand run = parseRun("busybox");
        ContainerOptions o = run.options;
        assertThat(o.name).isNull();
        assertThat(o.cpus).isNull();
        assertThat(o.autoRemove).isFalse();
        assertThat(run.detach).isFalse();
        assertThat(o.env).isEmpty();
        assertThat(o.command).isEmpty();
    }

    /** Every option reads back, through picocli, the value it was given: each getter and setter name one field. */
    @Test
    void everyOptionsGetterSeesWhatItsSetterWrote() {
        CommandSpec spec = RunCommand.spec();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            CommandLine cli = new CommandLine(RunCommand.spec());
            OptionSpec fresh = cli.getCommandSpec().findOption(option.longestName());
            String value = sample(fresh.type(), fresh.auxiliaryTypes());
            List<String> args = value == null ? List.of(fresh.longestName(), "img")
                    : List.of(fresh.longestName(), value, "img");
            cli.parseArgs(args.toArray(String[]::new));
            Object read = fresh.getValue();
            Object expected = value == null ? Boolean.TRUE : fresh.isMultiValue() ? List.of(convert(fresh, value))
                    : convert(fresh, value);
            assertThat(read).as(fresh.longestName()).isEqualTo(expected);
        }
    }

    @Test
    void createHasTheSameContainerOptionsButNoDetach() {
        CommandSpec create = CreateCommand.spec();
        CommandSpec run = RunCommand.spec();
        assertThat(create.findOption("--detach")).isNull();
        assertThat(create.options()).hasSize(run.options().size() - 1);
        assertThat(create.exitCodeOnInvalidInput()).isEqualTo(ExitCodes.ENGINE_ERROR);
    }

    private static String sample(Class<?> type, Class<?>[] auxiliary) {
        Class<?> element = List.class.isAssignableFrom(type) ? auxiliary[0] : type;
        if (element == boolean.class) {
            return null;
        }
        return element == Path.class ? "/x" : Number.class.isAssignableFrom(element) ? "3" : "x";
    }

    private static Object convert(OptionSpec option, String value) {
        Class<?> element = option.isMultiValue() ? option.auxiliaryTypes()[0] : option.type();
        if (element == Path.class) {
            return Path.of(value);
        } else if (element == Double.class) {
            return Double.valueOf(value);
        } else if (element == Long.class) {
            return Long.valueOf(value);
        } else if (element == Integer.class) {
            return Integer.valueOf(value);
        }
        return value;
    }
}
