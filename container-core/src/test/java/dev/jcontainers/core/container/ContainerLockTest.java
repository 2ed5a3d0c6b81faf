package dev.jcontainers.core.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The container lock between threads of one JVM; {@link RootfsUnmountTest} has two engines share it. */
class ContainerLockTest {
    @TempDir
    Path containers;

    @Test
    void anotherThreadWaitsUntilTheHolderLetsGoAndOneThreadMayTakeItAgain() throws Exception {
        Path dir = Files.createDirectory(containers.resolve("a"));
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> second;
        try (ContainerLock held = ContainerLock.acquire(dir).orElseThrow()) {
            try (ContainerLock again = ContainerLock.acquire(dir).orElseThrow()) {
                assertThat(again).isNotNull(); // reentrant: the same thread does not wait for itself
            }
            second = CompletableFuture.supplyAsync(() -> {
                waiter.set(Thread.currentThread());
                try (ContainerLock taken = ContainerLock.acquire(dir).orElseThrow()) {
                    return true;
                }
            });
            // until the other thread is parked on the lock this one holds (or, were the lock not exclusive, done)
            while (!second.isDone() && (waiter.get() == null || waiter.get().getState() != Thread.State.WAITING)) {
                Thread.onSpinWait();
            }
            assertThat(second).isNotDone();
        }
        assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve(ContainerLock.FILE)).exists();
    }

    @Test
    void aRemovedContainerHasNoLockToTake() throws Exception {
        Path dir = containers.resolve("gone");
        assertThat(ContainerLock.acquire(dir)).isEmpty();
        Files.createDirectory(dir);
        Optional<ContainerLock> lock = ContainerLock.acquire(dir);
        assertThat(lock).isPresent();
        lock.get().close();
        ContainerLock.forget(dir);
    }
}
