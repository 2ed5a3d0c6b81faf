package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The container verbs of {@code jc} end to end, as root, with real containers from a registry-pushed busybox. */
@RegistryTest
class ContainerCliTest {
    static RegistryServer registry;
    static String image;

    @TempDir
    static Path fixtures;

    @TempDir
    static Path root;


    @BeforeAll
    static void setUp() {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        FixtureImage busybox = new TestImages(fixtures).multiLayer("cli-run", 2);
        Skopeo.push(busybox, registry, "cli/run:1");
        image = registry.host() + "/cli/run:1";
        CliResult pull = jc("pull", "-q", image);
        assertThat(pull.code()).as(pull.err()).isZero();
    }

    /** Every test removes its containers; whatever one left behind is removed here and fails it. */
    @AfterEach
    void noContainerLeftBehind() {
        List<String> left = ids();
        left.forEach(id -> jc("rm", "-f", id));
        assertThat(left).as("containers the test left behind").isEmpty();
    }

    @AfterAll
    static void noMountLeftBehind() {
        if (root != null && Requirements.isRoot()) {
            assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().startsWith(root));
        }
    }

    static CliResult jc(String... args) {
        return CliResult.run(root, args);
    }

    @Test
    void namedVolumesOutliveContainersAndAnonymousOnesGoWithRmV() {
        assertThat(jc("volume", "create", "-l", "team=qa", "clidata").out().strip()).isEqualTo("clidata");
        assertThat(jc("volume", "ls").out()).containsPattern("local\\s+clidata");
        assertThat(jc("volume", "inspect", "clidata").out()).contains("\"team\" : \"qa\"", "/volumes/clidata/_data");
        assertThat(jc("volume", "inspect", "-f", "{{.Name}} {{.Labels.team}}", "clidata").out()).isEqualTo("clidata qa\n");
        assertThat(jc("run", "--rm", "-v", "clidata:/vol", image, "sh", "-c", "echo kept > /vol/f").code()).isZero();
        CliResult read = jc("run", "--rm", "-v", "clidata:/vol:ro", image, "sh", "-c", "cat /vol/f; echo x > /vol/g");
        assertThat(read.out()).startsWith("kept");
        assertThat(read.code()).isNotZero();

        assertThat(jc("run", "-d", "--name", "anon", "-v", "/scratch", image, "sleep", "30").code()).isZero();
        String anonymous = jc("volume", "ls", "-q").out().lines().filter(n -> !n.equals("clidata")).findFirst().orElseThrow();
        CliResult inUse = jc("volume", "rm", anonymous);
        assertThat(inUse.code()).isEqualTo(1);
        assertThat(inUse.err()).contains("in use");
        CliResult rm = jc("rm", "-f", "-v", "anon");
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(jc("volume", "ls", "-q").out().lines().toList()).containsExactly("clidata");
        assertThat(jc("volume", "rm", "clidata").code()).isZero();
        assertThat(jc("volume", "ls", "-q").out()).isBlank();
    }

    @Test
    void diffAndCommitMakeAnImageOfTheChanges() {
        assertThat(jc("run", "--name", "changer", image, "sh", "-c",
                "echo new > /added.txt; echo changed > /data/layer-1.txt; rm /etc/group").code()).isZero();
        CliResult diff = jc("diff", "changer");
        assertThat(diff.out().lines().toList()).contains("A /added.txt", "C /data", "C /data/layer-1.txt", "C /etc",
                "D /etc/group");
        CliResult commit = jc("commit", "-m", "test change", "changer", "committed/image:1");
        assertThat(commit.code()).as(commit.err()).isZero();
        assertThat(jc("rm", "changer").code()).isZero();
        CliResult run = jc("run", "--rm", "committed/image:1", "sh", "-c",
                "cat /added.txt /data/layer-1.txt; test -e /etc/group || echo no-group");
        assertThat(run.out()).isEqualTo("new\nchanged\nno-group\n");
        assertThat(jc("history", "committed/image:1").out()).contains("test change");
        assertThat(jc("rmi", "committed/image:1").code()).isZero();
    }

    @Test
    void statsSamplesTheCgroup() {
        assertThat(jc("run", "-d", "--name", "busy", "-m", "64m", "--pids-limit", "10", image, "sleep", "30").code()).isZero();
        CliResult stats = jc("stats", "--no-stream", "busy");
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("CONTAINER ID", "busy").containsPattern("/ 67.1MB\\s+[0-9.]+%\\s+1\\n");
        assertThat(jc("rm", "-f", "busy").code()).isZero();
    }

    @Test
    void pauseUnpauseTopAndARestartPolicy() throws Exception {
        CliResult run = jc("run", "-d", "--name", "frozen", "--restart", "on-failure:3", image, "sleep", "30");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(jc("pause", "frozen").out().strip()).isEqualTo("frozen");
        assertThat(jc("ps").out()).containsPattern("Up .* \\(Paused\\)\\s+frozen");
        JsonNode paused = inspect("frozen");
        assertThat(paused.at("/State/Status").asText()).isEqualTo("paused");
        assertThat(paused.at("/State/Running").asBoolean()).isTrue();
        assertThat(paused.at("/HostConfig/RestartPolicy/Name").asText()).isEqualTo("on-failure");
        assertThat(paused.at("/HostConfig/RestartPolicy/MaximumRetryCount").asInt()).isEqualTo(3);
        assertThat(paused.at("/RestartCount").asInt()).isZero();
        assertThat(jc("pause", "frozen").code()).isNotZero();
        assertThat(jc("unpause", "frozen").code()).isZero();

        CliResult top = jc("top", "frozen");
        assertThat(top.code()).as(top.err()).isZero();
        assertThat(top.out()).containsPattern("UID\\s+PID\\s+PPID\\s+C\\s+STIME\\s+TTY\\s+TIME\\s+CMD\\n")
                .containsPattern("root\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\?\\s+00:00:00\\s+sleep 30\\n");
        assertThat(jc("top", "frozen", "-o", "pid,comm").out()).containsPattern("PID\\s+COMMAND\\n\\d+\\s+sleep\\n");
        assertThat(jc("top", "frozen", "-o", "pid,nope").code()).isNotZero();
        assertThat(jc("rm", "-f", "frozen").code()).isZero();
    }

    private static List<String> ids() {
        return jc("ps", "-aq", "--no-trunc").out().lines().filter(l -> !l.isBlank()).toList();
    }

    private static JsonNode inspect(String name) throws Exception {
        CliResult r = jc("inspect", name);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get(0);
    }

    private static CliResult eventually(Predicate<CliResult> done, String... args) throws InterruptedException {
        CliResult r = jc(args);
        for (int i = 0; i < 100 && !done.test(r); i++) {
            Thread.sleep(50);
            r = jc(args);
        }
        return r;
    }

    @Test
    void runStreamsTheOutputExitsWithTheContainersCodeAndKeepsIt() throws Exception {
        CliResult run = jc("run", "--name", "three", image, "sh", "-c", "echo hi; echo oops >&2; exit 3");
        assertThat(run.code()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("hi\n");
        assertThat(run.err()).isEqualTo("oops\n");

        CliResult ps = jc("ps", "-a");
        assertThat(ps.out()).startsWith("CONTAINER ID").contains("COMMAND", "PORTS", "NAMES");
        assertThat(ps.out()).containsPattern("\"sh -c echo hi; echo…\"\\s+.*Exited \\(3\\) .* ago\\s+three");
        assertThat(jc("ps").out().lines().count()).as("only the header: nothing runs").isEqualTo(1);

        JsonNode state = inspect("three").get("State");
        assertThat(state.get("Status").asText()).isEqualTo("exited");
        assertThat(state.get("ExitCode").asInt()).isEqualTo(3);
        assertThat(jc("rm", "three").out()).isEqualTo("three\n");
    }

    @Test
    void runWithRmLeavesNoContainer() throws Exception {
        CliResult run = jc("run", "--rm", image, "sh", "-c", "echo gone");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("gone\n");
        assertThat(ids()).isEmpty();
        try (var dirs = Files.list(root.resolve("containers"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void detachedContainerIsListedLoggedStoppedWaitedForAndRemoved() throws Exception {
        CliResult run = jc("run", "-d", "--name", "web", image,
                "sh", "-c", "trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done");
        assertThat(run.code()).as(run.err()).isZero();
        String id = run.out().strip();
        assertThat(id).matches("[0-9a-f]{64}");

        CliResult ps = jc("ps");
        assertThat(ps.out()).containsPattern(id.substring(0, 12) + "\\s+" + image + "\\s+.*Up .*\\s+web");
        assertThat(eventually(r -> r.out().contains("started"), "logs", "web").out()).isEqualTo("started\n");
        JsonNode state = inspect(id.substring(0, 12)).get("State");
        assertThat(state.get("Running").asBoolean()).isTrue();
        assertThat(state.get("Pid").asLong()).isPositive();

        CliResult stop = jc("stop", "-t", "5", "web");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("web\n");
        assertThat(jc("wait", "web").out()).isEqualTo("0\n");
        assertThat(jc("logs", "--tail", "1", "web").out()).isEqualTo("bye\n");
        assertThat(jc("logs", "-t", "web").out()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+Z started$");
        JsonNode inspect = inspect("web");
        assertThat(inspect.get("Name").asText()).isEqualTo("/web");
        assertThat(inspect.get("State").get("Status").asText()).isEqualTo("exited");
        assertThat(inspect.get("Config").get("Image").asText()).isEqualTo(image);
        assertThat(jc("inspect", "-f", "{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}", "web").out())
                .isEqualTo("/web exited 0 0\n");
        assertThat(jc("container", "inspect", "--format", "{{json .Config.Image}}", "web").out())
                .isEqualTo("\"" + image + "\"\n");
        CliResult unknown = jc("inspect", "-f", "{{.State.Foo}}", "web");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).isEqualTo("template parsing error: template: :1:8: executing \"\" at <.State.Foo>: "
                + "map has no entry for key \"Foo\"\n");
        assertThat(jc("rm", "web").code()).isZero();
    }

    @Test
    void killSendsTheSignalAndWaitPrintsTheExitCode() {
        String id = jc("run", "-d", image, "sleep", "30").out().strip();
        assertThat(jc("rm", id).code()).as("a running container needs -f").isEqualTo(1);
        assertThat(jc("kill", "-s", "KILL", id).code()).isZero();
        assertThat(jc("wait", id).out()).isEqualTo("137\n");
        assertThat(jc("rm", id).code()).isZero();
    }

    @Test
    void aMissingCommandExits127AndOneThatCannotBeInvoked126() {
        CliResult missing = jc("run", "--rm", image, "no-such-command");
        assertThat(missing.code()).isEqualTo(127);
        assertThat(missing.err()).contains("executable file not found");
        CliResult directory = jc("run", "--rm", image, "/etc");
        assertThat(directory.code()).as(directory.err()).isEqualTo(126);
        CliResult kept = jc("run", "--name", "never", image, "/no/such/file");
        assertThat(kept.code()).isEqualTo(127);
        assertThat(jc("ps", "-a").out()).containsPattern("Created\\s+never");
        assertThat(jc("rm", "never").code()).isZero();
    }

    @Test
    void anUnknownImageOrABadFlagExits125() {
        CliResult unknown = jc("run", "--rm", registry.host() + "/cli/nothing:1", "true");
        assertThat(unknown.code()).isEqualTo(125);
        assertThat(unknown.err()).startsWith("Error: ");
        assertThat(jc("run", "--no-such-flag", image).code()).isEqualTo(125);
        assertThat(jc("run", "--rm", "--tmpfs", "/x:noexec", image, "true").code()).isEqualTo(125);
        assertThat(jc("run", "--rm", "--network", "container:no-such-container", image, "true").code()).isEqualTo(125);
    }

    @Test
    void anOomKillExits137AndInspectShowsIt() throws Exception {
        CliResult run = jc("run", "--name", "oom", "--memory", "32m", image,
                "sh", "-c", "x=a; while true; do x=$x$x; done");
        assertThat(run.code()).as(run.err()).isEqualTo(137);
        JsonNode state = inspect("oom").get("State");
        assertThat(state.get("OOMKilled").asBoolean()).isTrue();
        assertThat(state.get("ExitCode").asInt()).isEqualTo(137);
        assertThat(jc("rm", "oom").code()).isZero();
    }

    @Test
    void aTakenNameIsAConflict() {
        CliResult create = jc("create", "--name", "dup", image, "true");
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out().strip()).matches("[0-9a-f]{64}");
        CliResult again = jc("run", "--rm", "--name", "dup", image, "true");
        assertThat(again.code()).isEqualTo(125);
        assertThat(again.err()).contains("Conflict", "\"/dup\" is already in use");
        assertThat(jc("rm", "dup").code()).isZero();
    }

    @Test
    void createThenStartAttachedAndInspectFallsBackToImages() throws Exception {
        String id = jc("create", "--name", "later", image, "sh", "-c", "echo from-create; exit 4").out().strip();
        assertThat(jc("ps", "-a").out()).containsPattern("Created\\s+later");
        CliResult start = jc("start", "-a", "later");
        assertThat(start.code()).as(start.err()).isEqualTo(4);
        assertThat(start.out()).isEqualTo("from-create\n");
        assertThat(inspect("later").get("Id").asText()).isEqualTo(id);
        assertThat(inspect(image).get("RootFS").get("Layers")).hasSize(2);
        CliResult neither = jc("inspect", "nothing-by-that-name");
        assertThat(neither.code()).isEqualTo(1);
        assertThat(neither.err()).contains("No such object: nothing-by-that-name");
        assertThat(jc("inspect", "--type", "image", "later").code()).isEqualTo(1);
        assertThat(jc("container", "rm", "later").code()).isZero();
    }

    @Test
    void containerGroupListsAndPrunes() {
        String done = jc("container", "run", "-d", image, "true").out().strip();
        assertThat(jc("container", "wait", done).out()).isEqualTo("0\n");
        String running = jc("container", "run", "-d", image, "sleep", "30").out().strip();
        assertThat(jc("container", "ls", "-q").out()).isEqualTo(running.substring(0, 12) + "\n");
        CliResult prune = jc("container", "prune", "-f");
        assertThat(prune.out()).contains(done).doesNotContain(running);
        CliResult rm = jc("container", "rm", "-f", running);
        assertThat(rm.code()).as(rm.err()).isZero();
    }

    @Test
    void runFlagsReachTheContainer(@TempDir Path host) throws Exception {
        Files.writeString(host.resolve("vars.env"), "# a comment\nB=from-file\n\nA=overridden\n");
        Files.writeString(host.resolve("shared.txt"), "from the host\n");
        // The container runs as nobody: let it in.
        Files.setPosixFilePermissions(host, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = "echo $A $B; pwd; id -u; hostname; cat /mnt/shared.txt; "
                + "touch /x 2>/dev/null || echo rootfs-ro; touch /mnt/y 2>/dev/null || echo bind-ro; "
                + "touch /scratch/y && echo tmpfs-rw; stat -c %a /scratch";
        CliResult run = jc("run", "--rm", "--env-file", host.resolve("vars.env").toString(), "-e", "A=1",
                "-w", "/bin", "-u", "nobody", "--hostname", "box", "--read-only",
                "--tmpfs", "/scratch:size=1m,mode=1777", "-v", host + ":/mnt:ro", "--pids-limit", "50",
                "-l", "team=cli", "--stop-signal", "SIGINT", "--stop-timeout", "3", "--cpus", "0.5",
                image, "sh", "-c", script);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly("1 from-file", "/bin", "65534", "box",
                "from the host", "rootfs-ro", "bind-ro", "tmpfs-rw", "1777");
        CliResult entry = jc("run", "--rm", "--entrypoint", "echo", image, "-n", "a", "b");
        assertThat(entry.out()).isEqualTo("a b");
    }
}
