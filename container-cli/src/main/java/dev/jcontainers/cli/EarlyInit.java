package dev.jcontainers.cli;

import dev.jcontainers.linux.ffm.Syscall;

import java.math.BigDecimal;

/**
 * Starts, on a second core, a class initialisation that every engine-using verb waits for later on the main
 * thread. JDK 25's {@code BigDecimal.<clinit>} squares its way up to 5^65536 (its {@code FIVE_TO_2_TO} table),
 * about 9 ms in the interpreter, and jackson-core's parser base class holds {@code BigDecimal} constants, so the
 * engine's first JSON read paid for it (benchmarks/RESULTS.md 9e). Begun at {@code main}, it overlaps picocli and
 * the engine's first file reads; should the main thread get there first it waits as it did anyway.
 * Then the FFM linker's first use, linking the one downcall shape of every native call ({@link Syscall}): ~20 ms
 * of JDK set-up and a generated stub, which the overlay mount of {@code run}/{@code create} waits for otherwise.
 * Neither initialisation needs a class that needs it back ({@code BigDecimal} only JDK classes; {@code Syscall}
 * only {@code Native}, whose own initialisation uses only the JDK), so the two threads cannot deadlock.
 */
final class EarlyInit {
    private EarlyInit() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("jc-early-init").start(() -> {
            Syscall.READ.number(); // links the one downcall shape: the FFM linker's first use
            BigDecimal.ONE.signum();
        });
    }
}
