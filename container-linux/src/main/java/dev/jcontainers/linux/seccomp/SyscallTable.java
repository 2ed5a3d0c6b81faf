package dev.jcontainers.linux.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * System call names and numbers of one architecture, read from a bundled table
 * ({@code syscalls-<arch>.txt}, generated from the kernel's UAPI headers).
 */
public final class SyscallTable {
    private static final Map<SeccompArch, SyscallTable> CACHE = Collections.synchronizedMap(
            new EnumMap<>(SeccompArch.class));

    private final SeccompArch arch;
    private final Map<String, Integer> numbers;

    private SyscallTable(SeccompArch arch, Map<String, Integer> numbers) {
        this.arch = arch;
        this.numbers = Collections.unmodifiableMap(numbers);
    }

    public static SyscallTable of(SeccompArch arch) {
        return CACHE.computeIfAbsent(arch, SyscallTable::load);
    }

    public SeccompArch arch() {
        return arch;
    }

    /** The number of the named call, or empty where this architecture has no such call. */
    public OptionalInt number(String name) {
        Integer n = numbers.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Every name with its number, in number order. */
    public Map<String, Integer> asMap() {
        return numbers;
    }

    private static SyscallTable load(SeccompArch arch) {
        String resource = "syscalls-" + arch.name().toLowerCase(java.util.Locale.ROOT) + ".txt";
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + resource);
            }
            return new SyscallTable(arch, parse(in, resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Integer> parse(InputStream in, String resource) throws IOException {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || numbers.put(fields[0], Integer.parseInt(fields[1])) != null) {
                throw new IllegalStateException(resource + ": bad or repeated line: " + line);
            }
        }
        return numbers;
    }
}
