package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.Ulimit;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Docker's security options and secure defaults, observed in real containers as root on the real kernel:
 * capabilities, privileged mode, no_new_privs, seccomp, supplementary groups, rlimits, masked and read-only
 * paths, and that nothing of the host (fds, directories, the helper binary) is reachable from inside.
 */
@RuntimeTest(repo = "security/busybox")
class SecurityTest {
    /** Docker's default capability set as a mask ({@code CapEff} of a default container). */
    private static final long DEFAULT_CAPS = 0xa80425fbL;
    private static final long CAP_CHOWN = 1L;
    private static final long CAP_NET_ADMIN = 1L << 12;

    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    private static ContainerBuilder sh(String script) {
        return engine.containers().builder().image(image).command("sh", "-c", script);
    }

    /** Runs the container to its end and returns its stdout; it must exit 0. */
    private static String output(ContainerBuilder builder) {
        try (Container c = builder.start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).as(c.logs().stderr()).isZero();
            return c.logs().stdout();
        }
    }

    private static String status(String field, ContainerBuilder builder) {
        return output(builder).lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> l.substring(field.length() + 1).strip()).orElseThrow();
    }

    private static long capEff(ContainerBuilder builder) {
        return Long.parseUnsignedLong(status("CapEff", builder), 16);
    }

    private static final String STATUS = "cat /proc/self/status";

    // ---- capabilities -----------------------------------------------------------------------------------

    @Test
    void capAddGrantsACapabilityOnTopOfTheDefaults() {
        assertThat(capEff(sh(STATUS).capAdd("NET_ADMIN"))).isEqualTo(DEFAULT_CAPS | CAP_NET_ADMIN);
        assertThat(capEff(sh(STATUS).capAdd("cap_net_admin"))).isEqualTo(DEFAULT_CAPS | CAP_NET_ADMIN);
    }

    @Test
    void capDropRemovesTheCapabilityAndWhatItAllows() {
        String out = output(sh("grep CapEff /proc/self/status; touch /tmp/f; chown 65534 /tmp/f; echo chown=$?")
                .capDrop("CHOWN"));
        assertThat(out).contains("CapEff:\t" + String.format("%016x", DEFAULT_CAPS & ~CAP_CHOWN))
                .contains("chown=1");
        assertThat(output(sh("touch /tmp/f; chown 65534 /tmp/f; echo chown=$?"))).contains("chown=0");
    }

    @Test
    void capDropAllKeepsOnlyTheAddedOnes() {
        assertThat(capEff(sh(STATUS).capDrop("ALL").capAdd("CHOWN"))).isEqualTo(CAP_CHOWN);
    }

    @Test
    void anUnknownCapabilityIsRefusedAtCreate() {
        assertThatThrownBy(() -> sh("true").capAdd("NET_WIZARD").create())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NET_WIZARD");
    }

    @Test
    void privilegedHasEveryCapabilityNoSeccompAndNothingMasked() throws IOException {
        String out = output(sh("grep -E '^(CapEff|Seccomp):' /proc/self/status; grep -E ' /(sys|proc/sys) ' /proc/mounts; "
                + "h=$(hostname); echo $h > /proc/sys/kernel/hostname; echo hostname=$?").privileged());
        // every capability this JVM may grant: its own bounding set
        String ownBounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
        assertThat(out).contains("CapEff:\t" + ownBounding)
                .contains("Seccomp:\t0")
                .containsPattern(" /sys sysfs rw,")
                .doesNotContain("/proc/sys ")
                .contains("hostname=0");
    }

    // ---- no_new_privs and seccomp -------------------------------------------------------------------------

    @Test
    void noNewPrivilegesSetsTheFlag() {
        assertThat(status("NoNewPrivs", sh(STATUS).noNewPrivileges())).isEqualTo("1");
        assertThat(status("NoNewPrivs", sh(STATUS))).isEqualTo("0");
    }

    @Test
    void seccompUnconfinedLoadsNoFilter() {
        assertThat(status("Seccomp", sh(STATUS).seccompProfile("unconfined"))).isEqualTo("0");
        assertThat(status("Seccomp", sh(STATUS).seccompProfile("builtin"))).isEqualTo("2");
    }

    @Test
    void aSeccompProfileFileIsReadAtCreateAndApplied(@TempDir Path tmp) throws IOException {
        Path profile = tmp.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
                """);
        Container c = sh("grep Seccomp: /proc/self/status; mkdir /tmp/d; echo mkdir=$?; touch /tmp/f; echo touch=$?")
                .seccompProfile(profile.toString()).create();
        try (c) {
            Files.delete(profile); // as in Docker, the container keeps the profile it was created with
            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).contains("Seccomp:\t2", "mkdir=1", "touch=0");
        }
    }

    @Test
    void aMalformedOrMissingSeccompProfileIsAClearError(@TempDir Path tmp) throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"defaultAction\": \"SCMP_ACT_DANCE\"}");
        assertThatThrownBy(() -> sh("true").seccompProfile(bad.toString()).create())
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("bad.json");
        assertThatThrownBy(() -> sh("true").seccompProfile(tmp.resolve("missing.json").toString()).create())
                .isInstanceOf(ContainerException.class).hasMessageContaining("missing.json");
    }

    // ---- groups and rlimits -------------------------------------------------------------------------------

    @Test
    void groupAddResolvesNamesInTheImageAndTakesNumbersAsTheyAre() {
        assertThat(output(sh("id -G").groupAdd("nobody", "1234")).strip().split(" "))
                .containsExactlyInAnyOrder("0", "65534", "1234");
        assertThatThrownBy(() -> sh("true").groupAdd("wheel").create())
                .isInstanceOf(ContainerException.class).hasMessageContaining("unable to find group wheel");
    }

    @Test
    void ulimitSetsSoftAndHardLimits() {
        assertThat(output(sh("ulimit -Sn; ulimit -Hn").ulimit("nofile", 1024, 2048)).lines().toList())
                .containsExactly("1024", "2048");
        assertThatThrownBy(() -> sh("true").ulimit("nofile", 10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soft limit");
        assertThatThrownBy(() -> sh("true").ulimit("files", 10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid ulimit type");
    }

    @Test
    void ulimitParsesDockersSyntax() {
        assertThat(Ulimit.parse("nofile=1024:2048")).isEqualTo(new Ulimit("nofile", 1024, 2048));
        assertThat(Ulimit.parse("core=-1")).isEqualTo(new Ulimit("core", -1, -1));
        assertThat(Ulimit.parse("nproc=64").rlimitType()).isEqualTo("RLIMIT_NPROC");
        assertThatThrownBy(() -> Ulimit.parse("nofile")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ulimit.parse("nofile=1:2:3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ulimit.parse("nofile=-1:10")).hasMessageContaining("soft limit");
    }

    // ---- masked and read-only paths -----------------------------------------------------------------------

    /**
     * Prints, for each of Docker's masked paths, its type and size or entry count, then whether
     * {@code /proc/sys} accepts a write (of the current value, so that nothing changes were it to succeed).
     */
    private static final String CONFINEMENT_PROBE = """
            for p in %s; do
              if [ -d $p ]; then echo "masked $p dir $(ls -A $p | wc -l)"
              elif [ -e $p ]; then echo "masked $p $(stat -c %%F $p) $(head -c 16 $p | wc -c)"
              else echo "masked $p missing"; fi
            done
            h=$(hostname); (echo $h > /proc/sys/kernel/hostname) 2>/dev/null; echo hostname=$?
            grep -E '^proc /proc/.' /proc/mounts
            """.formatted(String.join(" ", RuntimeSpecFactory.MASKED_PATHS));

    @Test
    void dockersMaskedPathsAreHiddenAndProcSysIsReadOnly() {
        String out = output(sh(CONFINEMENT_PROBE));
        int checked = 0;
        for (String path : RuntimeSpecFactory.MASKED_PATHS) {
            Path onHost = Path.of(path);
            if (Files.isDirectory(onHost)) {
                assertThat(out).contains("masked " + path + " dir 0\n");
                checked++;
            } else if (Files.exists(onHost)) {
                assertThat(out).contains("masked " + path + " character special file 0\n");
                checked++;
            }
        }
        assertThat(checked).as("masked paths present on this kernel").isPositive();
        assertThat(out).contains("hostname=1");
        for (String path : RuntimeSpecFactory.READONLY_PATHS) {
            if (Files.exists(Path.of(path))) {
                assertThat(out).containsPattern("(?m)^proc " + path + " proc ro,");
            }
        }
    }

    // ---- nothing of the host leaks ------------------------------------------------------------------------

    /**
     * The open fds of a process the container started ({@code ls}, which adds the one it reads the
     * directory with), the cwd and the root.
     */
    private static final String FD_PROBE = """
            ls -l /proc/self/fd
            echo "cwd $(readlink /proc/$$/cwd)"
            echo "root $(readlink /proc/$$/root) $(stat -c %d:%i /) $(stat -L -c %d:%i /proc/$$/root)"
            """;

    @Test
    void onlyStdioIsOpenAndTheCwdIsInsideTheContainer() {
        String out = output(sh(FD_PROBE).workingDir("/tmp"));
        assertOnlyStdio(out);
        assertThat(line(out, "cwd")).isEqualTo("cwd /tmp");
    }

    @Test
    void execGetsOnlyStdioAndTheContainersRoot() {
        try (Container c = sh("exec sleep 60").start()) {
            ExecResult r = c.exec("sh", "-c", FD_PROBE);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertOnlyStdio(r.stdout());
            assertThat(line(r.stdout(), "cwd")).isEqualTo("cwd /");
        }
    }

    private static void assertOnlyStdio(String out) {
        // "lrwx------ 1 root root 64 Jan 1 00:00 0 -> /dev/null"; ls's own directory fd may show or not
        Map<String, String> fds = out.lines().filter(l -> l.contains(" -> "))
                .filter(l -> !l.matches(".* -> /proc/\\d+/fd"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" -> ")).replaceAll(".* ", ""),
                        l -> l.substring(l.indexOf(" -> ") + 4)));
        assertThat(fds).containsOnlyKeys("0", "1", "2");
        assertThat(fds.values()).allMatch(t -> t.matches("/dev/null|pipe:\\[\\d+]"), "stdio");
        String[] rootLine = line(out, "root").split(" ");
        assertThat(rootLine[1]).isEqualTo("/");
        assertThat(rootLine[3]).isEqualTo(rootLine[2]);
    }

    @Test
    void theHelperIsNeitherVisibleNorWritableFromTheContainer() throws Exception {
        List<Path> helpers;
        try (Stream<Path> s = Files.list(root.resolve("bin"))) {
            helpers = s.filter(p -> p.getFileName().toString().startsWith("jc-launch")).toList();
        }
        assertThat(helpers).isNotEmpty();
        List<String> before = helpers.stream().map(SecurityTest::sha256).toList();
        String out = output(sh("""
                grep PPid /proc/1/status
                for p in /proc/[0-9]*; do echo "exe ${p#/proc/} $(readlink $p/exe)"; done
                (echo x > /proc/self/exe) 2>/dev/null; echo self=$?
                (echo x > /proc/1/exe) 2>/dev/null; echo pid1=$?
                """));
        // pid 1's parent, the monitor, lives outside the container's PID namespace
        assertThat(out).contains("PPid:\t0").contains("self=1").contains("pid1=1");
        List<String> exes = out.lines().filter(l -> l.startsWith("exe ")).toList();
        assertThat(exes).isNotEmpty().allSatisfy(l -> assertThat(l).matches("exe \\d+ (/bin/busybox)?"));
        assertThat(exes).anyMatch(l -> l.equals("exe 1 /bin/busybox"));
        assertThat(helpers.stream().map(SecurityTest::sha256).toList()).isEqualTo(before);
    }

    private static String line(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " line in:\n" + out));
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
