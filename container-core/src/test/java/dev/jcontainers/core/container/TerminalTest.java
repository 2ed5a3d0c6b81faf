package dev.jcontainers.core.container;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.LogLine;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pseudo-terminals and interactive stdin ({@code -i}, {@code -t}) in real containers, as root. */
@RuntimeTest(repo = "tty/busybox")
class TerminalTest {
    /** A guard against a hung test, not a measurement. */
    private static final long GUARD_SECONDS = 30;

    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static Container box;

    @BeforeAll
    static void setUp() {
        box = engine.containers().builder().image(image).command("sleep", "600").start();
    }

    private static final ExecOptions TTY = ExecOptions.defaults().withTty(true);

    @Test
    void execOnATerminalOfTheContainersDevpts() throws Exception {
        try (AttachedProcess p = box.execAttached(TTY, "sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty; "
                + "readlink /proc/self/fd/2")) {
            assertThat(p.tty()).isTrue();
            String out = readAll(p.stdout());
            // the terminal's onlcr turns every \n into \r\n
            assertThat(out).matches("/dev/pts/(\\d+)\r\nis-a-tty\r\n/dev/pts/\\1\r\n");
            assertThat(p.waitFor()).isZero();
            assertThat(readAll(p.stderr())).isEmpty();
        }
    }

    @Test
    void resizeReachesTheProcess() throws Exception {
        try (AttachedProcess p = box.execAttached(TTY, "sh", "-c", "read go; stty size")) {
            p.resize(42, 123);
            p.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().flush();
            assertThat(readAll(p.stdout())).isEqualTo("go\r\n42 123\r\n");
            assertThat(p.waitFor()).isZero();
            assertThatThrownBy(() -> p.resize(10, 10)).isInstanceOf(ContainerStateException.class);
        }
    }

    @Test
    void anInitialSizeIsThereBeforeTheProcessStarts() throws Exception {
        try (AttachedProcess p = box.execAttached(ExecOptions.defaults().withTerminalSize(25, 70), "stty", "size")) {
            assertThat(readAll(p.stdout())).isEqualTo("25 70\r\n");
        }
        try (Container c = engine.containers().builder().image(image).tty().command("stty", "size").create();
             AttachedProcess p = c.startAttached(33, 111)) {
            assertThat(readAll(p.stdout())).isEqualTo("33 111\r\n");
            assertThat(p.waitFor()).isZero();
        }
    }

    @Test
    void interactiveRoundTripThroughCatAndEndOfInput() throws Exception {
        try (AttachedProcess p = box.execAttached(TTY, "cat")) {
            p.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            // the terminal echoes the line, then cat writes it back
            assertThat(readUntil(p.stdout(), "hello\r\nhello\r\n")).isEqualTo("hello\r\nhello\r\n");
            p.stdin().write(4); // ^D: end of input at the start of a line
            assertThat(p.waitFor()).isZero();
        }
    }

    @Test
    void inputLargerThanTheTerminalsBuffersFlowsWhileOutputIsRead() throws Exception {
        String line = "x".repeat(99) + "\n";
        int lines = 2000; // 200 KB: far beyond the terminal's 4 KB input queue
        // cat writes back while input still arrives: output and input both block unless the monitor keeps
        // reading the one while the other waits. (No echo: the kernel drops echoes when the output is full.)
        try (AttachedProcess p = box.execAttached(TTY, "sh", "-c", "stty -echo; echo ready; exec cat")) {
            readUntil(p.stdout(), "ready\r\n");
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; i < lines; i++) {
                        p.stdin().write(line.getBytes(StandardCharsets.UTF_8));
                    }
                    p.stdin().write(4); // ^D
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String out = readAll(p.stdout());
            assertThat(out.split("\r\n", -1)).filteredOn(l -> l.equals(line.trim())).hasSize(lines);
            writer.join();
            assertThat(p.waitFor()).isZero();
        }
    }

    @Test
    void exitCodeAndSignalsPropagate() throws Exception {
        try (AttachedProcess p = box.execAttached(TTY, "sh", "-c", "exit 7")) {
            assertThat(p.waitFor()).isEqualTo(7);
        }
        try (AttachedProcess p = box.execAttached(TTY, "sh")) {
            p.stdin().write("sleep 100\n".getBytes(StandardCharsets.UTF_8));
            // the shell's line editor reads in raw mode: ^C only signals once the command runs
            while (!box.exec("ps").stdout().contains("sleep 100")) {
                Thread.onSpinWait();
            }
            p.stdin().write(3); // ^C: SIGINT to the foreground job; the interactive shell lives on
            p.stdin().write("echo $((6 * 7))\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().write("exit 4\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readAll(p.stdout())).contains("\r\n42\r\n");
            assertThat(p.waitFor()).isEqualTo(4);
        }
    }

    @Test
    void interactiveStdinWithoutATerminalIsAPipe() throws Exception {
        try (AttachedProcess p = box.execAttached(ExecOptions.defaults(), "sh", "-c",
                "[ -t 0 ] || echo not-a-tty; read a; echo got $a; cat; echo err >&2")) {
            assertThat(readUntil(p.stdout(), "not-a-tty\n")).isEqualTo("not-a-tty\n");
            p.stdin().write("first\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().flush();
            assertThat(readUntil(p.stdout(), "got first\n")).isEqualTo("got first\n");
            p.stdin().write("rest".getBytes(StandardCharsets.UTF_8));
            p.stdin().close(); // end of input: cat finishes
            assertThat(readAll(p.stdout())).isEqualTo("rest");
            assertThat(readAll(p.stderr())).isEqualTo("err\n");
            assertThat(p.waitFor()).isZero();
            assertThatThrownBy(() -> p.resize(10, 10)).isInstanceOf(ContainerStateException.class);
        }
    }

    @Test
    void mainProcessOnATerminalIsAttachedAndLogged() throws Exception {
        try (Container c = engine.containers().builder().image(image).tty().stdinOpen().command("sh").create();
             AttachedProcess p = c.startAttached()) {
            assertThat(p.tty()).isTrue();
            p.resize(30, 90);
            p.stdin().write("stty size; tty; exit 5\n".getBytes(StandardCharsets.UTF_8));
            String out = readAll(p.stdout());
            assertThat(out).contains("30 90\r\n").containsPattern("/dev/pts/\\d+\r\n");
            assertThat(p.waitFor()).isEqualTo(5);
            assertThat(c.exitCode()).hasValue(5);
            // Docker logs a terminal as stdout, CRLF and all
            String logged = c.logs().lines().stream().filter(l -> l.stream() == LogLine.Stream.STDOUT)
                    .map(LogLine::text).collect(Collectors.joining());
            assertThat(logged).isEqualTo(out);
        }
    }

    @Test
    void detachedTerminalOutputIsLogged() {
        try (Container c = engine.containers().builder().image(image).tty().command("sh", "-c", "tty; echo a")
                .start()) {
            assertThat(c.waitFor()).isZero();
            String logged = c.logs().lines().stream().map(LogLine::text).collect(Collectors.joining());
            assertThat(logged).matches("/dev/pts/\\d+\r\na\r\n");
        }
    }

    private static String readAll(InputStream in) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r)).get(GUARD_SECONDS, TimeUnit.SECONDS);
    }

    /** Reads until the text read so far ends with {@code end}; returns it. */
    private static String readUntil(InputStream in, String end) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    synchronized (seen) {
                        seen.write(b);
                        if (seen.toString(StandardCharsets.UTF_8).endsWith(end)) {
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (seen) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
        try {
            return read.get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            synchronized (seen) {
                throw new AssertionError("no \"" + end + "\" after: \"" + seen.toString(StandardCharsets.UTF_8) + "\"");
            }
        }
    }
}
