package dev.jcontainers.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.testkit.ExternalProcess;
import dev.jcontainers.testkit.Requirements;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The bundled tables against the kernel headers they were generated from, and against well-known numbers. */
class SyscallTableTest {
    private static final Path UNISTD_64 = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    /** What arm64's asm/unistd.h defines before it includes asm-generic/unistd.h. */
    private static final List<String> ARM64_WANTS = List.of("__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT",
            "__ARCH_WANT_SET_GET_RLIMIT", "__ARCH_WANT_TIME32_SYSCALLS", "__ARCH_WANT_SYS_CLONE3",
            "__ARCH_WANT_MEMFD_SECRET");

    @Test
    void wellKnownNumbers() {
        SyscallTable x86 = SyscallTable.of(SeccompArch.X86_64);
        assertThat(x86.number("read")).hasValue(0);
        assertThat(x86.number("mount")).hasValue(165);
        assertThat(x86.number("keyctl")).hasValue(250);
        assertThat(x86.number("clone3")).hasValue(435);
        assertThat(x86.number("fchmodat2")).hasValue(452);
        assertThat(x86.number("mmap2")).isEmpty();
        SyscallTable arm = SyscallTable.of(SeccompArch.AARCH64);
        assertThat(arm.number("read")).hasValue(63);
        assertThat(arm.number("mount")).hasValue(40);
        assertThat(arm.number("keyctl")).hasValue(219);
        assertThat(arm.number("fstat")).hasValue(80);
        assertThat(arm.number("open")).as("aarch64 has only openat").isEmpty();
        assertThat(arm.number("clone3")).hasValue(435);
    }

    @Test
    void x86_64TableIsTheHeader() throws IOException {
        Requirements.requireFile(UNISTD_64);
        Map<String, Integer> fromHeader = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNISTD_64)) {
            String[] f = line.split("\\s+");
            if (f.length == 3 && f[0].equals("#define") && f[1].startsWith("__NR_")) {
                fromHeader.put(f[1].substring("__NR_".length()), Integer.parseInt(f[2]));
            }
        }
        assertThat(fromHeader).hasSizeGreaterThan(300);
        assertThat(SyscallTable.of(SeccompArch.X86_64).asMap()).containsAllEntriesOf(fromHeader);
    }

    @Test
    void aarch64TableIsTheGenericHeaderAsArm64IncludesIt() throws IOException {
        Path gcc = Requirements.requireTool("gcc");
        Requirements.requireFile(Path.of("/usr/include/asm-generic/unistd.h"));
        Path dir = Files.createTempDirectory("jc-syscalls");
        try {
            // Ask the preprocessor which __NR_ names exist, then a compiled program for their values.
            List<String> defines = ARM64_WANTS.stream().map(w -> "-D" + w).toList();
            List<String> cmd = new java.util.ArrayList<>(List.of(gcc.toString(), "-E", "-dM"));
            cmd.addAll(defines);
            cmd.addAll(List.of("-include", "asm-generic/unistd.h", "-x", "c", "/dev/null"));
            List<String> names = Stream.of(ExternalProcess.check(Duration.ofSeconds(30), cmd).stdout().split("\n"))
                    .map(l -> l.split("\\s+")).filter(f -> f.length >= 2 && f[1].startsWith("__NR_"))
                    .map(f -> f[1].substring("__NR_".length()))
                    .filter(n -> !n.equals("syscalls") && !n.equals("arch_specific_syscall")).toList();
            Path source = dir.resolve("numbers.c");
            Files.writeString(source, ARM64_WANTS.stream().map(w -> "#define " + w + "\n").collect(Collectors.joining())
                    + "#include <asm-generic/unistd.h>\n#include <stdio.h>\nint main(void) {\n"
                    + names.stream().map(n -> "printf(\"%s %d\\n\", \"" + n + "\", (int) __NR_" + n + ");\n")
                            .collect(Collectors.joining())
                    + "return 0;\n}\n");
            Path binary = dir.resolve("numbers");
            ExternalProcess.check(Duration.ofSeconds(60), List.of(gcc.toString(), "-o", binary.toString(),
                    source.toString()));
            Map<String, Integer> fromHeader = Stream.of(ExternalProcess.check(Duration.ofSeconds(10),
                            List.of(binary.toString())).stdout().split("\n"))
                    .map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[0], f -> Integer.parseInt(f[1])));
            assertThat(fromHeader).hasSizeGreaterThan(290);
            assertThat(SyscallTable.of(SeccompArch.AARCH64).asMap()).containsAllEntriesOf(fromHeader);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
