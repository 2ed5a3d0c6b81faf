package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Containers in a user namespace through the engine: root inside, an unprivileged uid outside, as root. */
@RuntimeTest(repo = "userns/busybox", layers = 2)
class UserNamespaceRunTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @BeforeAll
    static void setUp() {
        Requirements.require(Files.exists(Path.of("/proc/self/ns/user")), "kernel without user namespaces");
    }

    @Test
    void rootInsideIsTheMappedUidOutsideAndItsWritesAreOwnedByIt() throws Exception {
        long base = RuntimeSpecFactory.USERNS_HOST_BASE;
        try (Container c = engine.containers().builder().image(image).userNamespace()
                .command("sh", "-c", "id -u; id -g; echo mine > /written.txt; cat /proc/self/uid_map; "
                        + "stat -c %u:%g /data/layer-1.txt; exec sleep 600")
                .start()) {
            String out = awaitLines(c, 4);
            List<String> lines = out.lines().toList();
            assertThat(lines.subList(0, 2)).containsExactly("0", "0");
            assertThat(lines.get(2).trim().split("\\s+")).containsExactly("0", Long.toString(base), "65536");
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);

            long pid = c.inspect().pid();
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            assertThat(status).containsPattern("(?m)^Uid:\\s+" + base + "\\s+" + base)
                    .containsPattern("(?m)^Gid:\\s+" + base + "\\s+" + base);

            Path upper = root.resolve("containers").resolve(c.id()).resolve("upper");
            Path written = upper.resolve("written.txt");
            assertThat(Files.readString(written)).isEqualTo("mine\n");
            assertThat(Files.getAttribute(written, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo((int) base);
            assertThat(Files.getAttribute(written, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo((int) base);
            // the image's files keep host root as owner, which has no id in the namespace: the overflow id
            assertThat(lines.get(3)).isEqualTo("65534:65534");

            // exec joins the user namespace too
            ExecResult id = c.exec("id", "-u");
            assertThat(id.stdout()).isEqualTo("0\n");
        }
    }

    private static String awaitLines(Container c, int lines) throws InterruptedException {
        String out = "";
        for (int i = 0; i < 250 && out.lines().count() < lines; i++) {
            out = c.logs().stdout();
            if (c.status() != ContainerStatus.RUNNING) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(out.lines().count()).as("output so far: %s / %s", out, c.logs().stderr()).isGreaterThanOrEqualTo(lines);
        return out;
    }
}
