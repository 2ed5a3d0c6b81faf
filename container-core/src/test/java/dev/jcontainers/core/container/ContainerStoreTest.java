package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerNotFoundException;
import dev.jcontainers.api.ContainerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Container records on disk: removal through the trash, and records a host crash left empty. No root needed. */
class ContainerStoreTest {
    @TempDir
    Path containers;

    @Test
    void aRemovedContainerLeavesTheStoreAtOnceAndItsFilesAreGoneAfterClose() throws IOException {
        ContainerStore store = new ContainerStore(containers);
        ContainerRecord r = record("a1", "first", false);
        store.create(r);
        Files.createDirectories(store.dir(r.id()).resolve("upper/etc"));
        Files.writeString(store.dir(r.id()).resolve("upper/etc/hostname"), "x\n");

        store.delete(r);

        assertThat(store.dir(r.id())).doesNotExist();
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> store.resolve("first")).isInstanceOf(ContainerNotFoundException.class);
        store.create(record("b2", "first", false)); // the name is free again
        store.close();
        assertThat(entries(containers.resolve(".trash"))).isEmpty();
    }

    @Test
    void whatACrashedJvmLeftInTheTrashIsDeletedByTheNextStore() throws IOException {
        Path leftover = Files.createDirectories(containers.resolve(".trash/c3-half-deleted/upper/usr"));
        Files.writeString(leftover.resolve("file"), "data");

        ContainerStore store = new ContainerStore(containers);
        store.collectTrash();
        store.close();

        assertThat(entries(containers.resolve(".trash"))).isEmpty();
    }

    @Test
    void aSandboxRecordAHostCrashLeftEmptyIsCollectedWithItsName() throws IOException {
        ContainerStore store = new ContainerStore(containers);
        ContainerRecord torn = record("d4", "torn", false);
        ContainerRecord intact = record("e5", "intact", true);
        store.create(torn);
        store.create(intact);
        Files.write(store.dir(torn.id()).resolve("container.json"), new byte[0]); // what a power loss can leave

        assertThat(store.load(torn.id())).isEmpty();
        assertThat(store.list()).extracting(ContainerRecord::id).containsExactly(intact.id());
        assertThat(store.collectTorn()).containsExactly(torn.id());

        assertThat(store.dir(torn.id())).doesNotExist();
        assertThat(containers.resolve(".names/torn")).doesNotExist();
        assertThat(store.resolve("intact")).isEqualTo(intact.id());
        assertThat(store.load(intact.id())).contains(intact);
    }

    private static ContainerRecord record(String idPrefix, String name, boolean detached) {
        String id = (idPrefix + "0".repeat(64)).substring(0, 64);
        return new ContainerRecord(id, name, "busybox", "sha256:" + "1".repeat(64), "2026-11-28T08:00:00Z",
                List.of("/bin/true"), id.substring(0, 12), Map.of(), detached, false, "SIGTERM", 10,
                ContainerStatus.CREATED, 0, 0, null, null, null, false, List.of("/layers/x"), 1, "", null);
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
