package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.Containers;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jc exec} against a detached container, as another JVM (here: another engine) would reach it. */
@RegistryTest
class ExecCommandTest {
    static RegistryServer registry;
    static Engine engine;
    static Container box;

    @TempDir
    static Path fixtures;

    @TempDir
    static Path root;


    @BeforeAll
    static void start() {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        Skopeo.push(new TestImages(fixtures).singleLayer("exec"), registry, "cli/exec:1");
        engine = Containers.engine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json")).build());
        box = engine.containers().builder().image(registry.host() + "/cli/exec:1").name("box").hostname("boxhost")
                .detached().command("sleep", "600").start();
    }

    @AfterAll
    static void stop() {
        if (box != null) {
            box.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static CliResult jc(String... args) {
        return CliResult.run(root, args);
    }

    @Test
    void printsTheOutputAndExitsWithTheCommandsCode() {
        assertThat(jc("exec", "box", "hostname")).isEqualTo(new CliResult(0, "boxhost\n", ""));
        assertThat(jc("exec", box.id().substring(0, 12), "sh", "-c", "echo out; echo err >&2; exit 5"))
                .isEqualTo(new CliResult(5, "out\n", "err\n"));
    }

    @Test
    void userEnvironmentAndWorkdirFlags() {
        CliResult r = jc("exec", "-u", "nobody", "-e", "A=1", "-e", "B=two words", "-w", "/tmp", "box",
                "sh", "-c", "id -u; echo $A $B; pwd");
        assertThat(r).isEqualTo(new CliResult(0, "65534\n1 two words\n/tmp\n", ""));
    }

    @Test
    void ttyGivesAPseudoTerminalAndInteractiveStreamsStdin() {
        CliResult onTty = jc("exec", "-t", "box", "sh", "-c", "tty; exit 3");
        assertThat(onTty.code()).isEqualTo(3);
        assertThat(onTty.out()).matches("/dev/pts/\\d+\r\n");
        CliResult piped = CliResult.runWithInput(root, "first\nthe rest", "exec", "-i", "box",
                "sh", "-c", "read a; echo got $a; cat; echo err >&2");
        assertThat(piped).isEqualTo(new CliResult(0, "got first\nthe rest", "err\n"));
    }

    @Test
    void runInteractiveAttachesTheMainProcess() {
        CliResult r = CliResult.runWithInput(root, "to the container\n", "run", "--rm", "-i",
                registry.host() + "/cli/exec:1", "sh", "-c", "cat; exit 4");
        assertThat(r).isEqualTo(new CliResult(4, "to the container\n", ""));
        CliResult t = CliResult.runWithInput(root, "", "run", "--rm", "-t", registry.host() + "/cli/exec:1", "tty");
        assertThat(t.code()).isZero();
        assertThat(t.out()).matches("/dev/pts/\\d+\r\n");
    }

    @Test
    void startInteractiveAttachesACreatedContainer() {
        assertThat(jc("create", "-i", "--name", "later", registry.host() + "/cli/exec:1", "sh", "-c", "cat; exit 2")
                .code()).isZero();
        try {
            assertThat(CliResult.runWithInput(root, "typed later\n", "start", "-ai", "later"))
                    .isEqualTo(new CliResult(2, "typed later\n", ""));
        } finally {
            jc("rm", "-f", "later");
        }
    }

    @Test
    void cpCopiesInAndOutWithDockersRules() throws java.io.IOException {
        Path local = java.nio.file.Files.createTempDirectory(root, "cp");
        java.nio.file.Files.writeString(local.resolve("in.txt"), "from the host\n");
        assertThat(jc("cp", local.resolve("in.txt").toString(), "box:/tmp/")).isEqualTo(new CliResult(0, "", ""));
        assertThat(jc("exec", "box", "cat", "/tmp/in.txt").out()).isEqualTo("from the host\n");
        assertThat(jc("cp", "box:/etc/hostname", local.resolve("h").toString()).code()).isZero();
        assertThat(local.resolve("h")).hasContent("boxhost");
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        int code = Jc.run(new String[] {"--root", root.toString(), "cp", "box:/etc/hostname", "-"},
                java.io.InputStream.nullInputStream(), tar, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(code).isZero();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(tar.toByteArray()))) {
            assertThat(in.getNextEntry().getName()).isEqualTo("hostname");
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("boxhost\n");
        }
        CliResult missing = jc("cp", "box:/no/such/file", local.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error: Could not find the file");
    }

    @Test
    void theCommandsOwnFlagsAreNotJcs() {
        assertThat(jc("exec", "box", "ls", "-d", "/etc").out()).isEqualTo("/etc\n");
    }

    @Test
    void errorsAreReported() {
        CliResult missing = jc("exec", "no-such-container", "true");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error: ");
        CliResult stopped = jc("exec", "-it", "no-such-container", "sh");
        assertThat(stopped.code()).isEqualTo(1);
        assertThat(stopped.err()).startsWith("Error: ");
    }
}
