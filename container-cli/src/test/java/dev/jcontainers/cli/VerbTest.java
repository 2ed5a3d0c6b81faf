package dev.jcontainers.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the verb a command line names is registered with picocli; without one, all are (help, suggestions). */
class VerbTest {

    @Test
    void theVerbIsFoundPastGlobalOptionsInBothForms() {
        assertThat(Jc.verb(new String[] {"--root", "/srv/jc", "run", "--rm", "busybox", "ps"})).contains(RunCommand.class);
        assertThat(Jc.verb(new String[] {"--root=/srv/jc", "--debug", "ps", "-a"})).contains(PsCommand.class);
        assertThat(Jc.verb(new String[] {"--insecure-registry", "reg:5000", "pull", "reg:5000/a"})).contains(PullCommand.class);
        assertThat(Jc.verb(new String[] {"container", "ls"})).contains(ContainerCommand.class);
        assertThat(Jc.verb(new String[] {"--dns", "10.0.0.53", "create", "busybox"})).contains(CreateCommand.class);
    }

    @Test
    void withoutAKnownVerbEveryCommandIsRegistered() {
        assertThat(Jc.verb(new String[] {"--help"})).isEmpty();
        assertThat(Jc.verb(new String[] {"--root", "/srv/jc"})).isEmpty();
        assertThat(Jc.verb(new String[] {"rnu", "busybox"})).isEmpty();

        StringWriter out = new StringWriter();
        int code = Jc.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("pull", "run", "stats", "volume");
    }

    @Test
    void aVerbsOwnHelpStillWorksWithOnlyThatVerbRegistered() {
        StringWriter out = new StringWriter();
        int code = Jc.run(new String[] {"run", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: jc run", "--rm");
    }
}
