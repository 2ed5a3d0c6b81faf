package dev.jcontainers.linux.seccomp;

import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Docker's default profile as BPF, for every container that does not name a profile of its own. The build
 * compiles the profile ({@link #main}) for each architecture and for the capability sets containers nearly always
 * have, into the resource {@value #RESOURCE}; a start then only decodes a few kilobytes instead of parsing the
 * profile's JSON and compiling it, about 20 ms of a cold {@code jc run}. Any other capability set, or a kernel
 * older than a rule's {@code minKernel}, is compiled at run time as before, once per set.
 *
 * <p>The profile's rules depend on a capability only if they name it, so a bounding set is looked up by its part
 * that the profile names ({@code deciding}): Docker's 14 default capabilities and those plus {@code NET_ADMIN}
 * share one program. The programs are compiled for the highest {@code minKernel} in the profile, which is the same
 * program on every kernel at or above it.
 */
public final class DefaultSeccompPrograms {
    static final String RESOURCE = "default-programs.properties";
    private static final String MIN_KERNEL = "minKernel";
    private static final String DECIDING = "decidingCaps";
    private static final String NO_CAPS = "none";

    /** The bounding sets compiled at build time: Docker's default, {@code --cap-drop ALL}, {@code --cap-add ALL}. */
    static final List<Set<Capability>> PRECOMPILED_SETS = List.of(Capabilities.DOCKER_DEFAULTS,
            EnumSet.noneOf(Capability.class), Capabilities.all());

    private static final Map<Target, byte[]> COMPILED = new ConcurrentHashMap<>();

    private DefaultSeccompPrograms() {
    }

    /**
     * The default profile's program for this machine's architecture and kernel and the container's bounding
     * capabilities, in the form {@link BpfProgram#toBytes()} gives. Callers share the array: do not change it.
     */
    public static byte[] forBounding(Set<Capability> bounding) {
        return forBounding(bounding, SeccompArch.current(), KernelVersion.current());
    }

    static byte[] forBounding(Set<Capability> bounding, SeccompArch arch, KernelVersion kernel) {
        Precompiled pre = Precompiled.Shipped.INSTANCE;
        if (kernel.compareTo(pre.minKernel()) >= 0) {
            byte[] program = pre.programs().get(key(arch, deciding(pre.decidingCaps(), bounding)));
            if (program != null) {
                return program;
            }
        }
        // Rare: parsed and compiled here, as the build would have, once per JVM and target.
        return COMPILED.computeIfAbsent(new Target(arch, kernel, Set.copyOf(bounding)), t ->
                SeccompCompiler.compile(SeccompProfile.dockerDefault(), t.arch(), t.bounding(), t.kernel()).toBytes());
    }

    private record Target(SeccompArch arch, KernelVersion kernel, Set<Capability> bounding) {
    }

    /** What the build wrote: the kernel the programs hold for, the capabilities that matter, the programs. */
    record Precompiled(KernelVersion minKernel, Set<String> decidingCaps, Map<String, byte[]> programs) {
        /** Read at first use, not by the build's {@link #main}, which writes it. */
        static final class Shipped {
            static final Precompiled INSTANCE = load();
        }

        private static Precompiled load() {
            Properties p = new Properties();
            try (InputStream in = DefaultSeccompPrograms.class.getResourceAsStream(RESOURCE)) {
                if (in == null) { // a build that skipped generate: everything is compiled at run time
                    return new Precompiled(new KernelVersion(Integer.MAX_VALUE, 0), Set.of(), Map.of());
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            Map<String, byte[]> programs = new TreeMap<>();
            for (String name : p.stringPropertyNames()) {
                if (!name.equals(MIN_KERNEL) && !name.equals(DECIDING)) {
                    programs.put(name, Base64.getDecoder().decode(p.getProperty(name)));
                }
            }
            String min = p.getProperty(MIN_KERNEL);
            String deciding = p.getProperty(DECIDING);
            if (min == null || deciding == null) {
                throw new IllegalStateException(RESOURCE + " lacks " + MIN_KERNEL + " or " + DECIDING);
            }
            return new Precompiled(KernelVersion.parse(min), Set.of(deciding.split(",")), programs);
        }
    }

    /** The part of {@code bounding} that {@code decidingCaps} names, by kernel name. */
    static Set<String> deciding(Set<String> decidingCaps, Collection<Capability> bounding) {
        return bounding.stream().map(Capability::kernelName).filter(decidingCaps::contains)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code amd64.CAP_SYS_CHROOT}, {@code arm64.none}: an architecture and the deciding capabilities, sorted. */
    static String key(SeccompArch arch, Set<String> deciding) {
        return arch.goName() + "." + (deciding.isEmpty() ? NO_CAPS : String.join(",", new TreeSet<>(deciding)));
    }

    /** The capabilities any rule of {@code profile} includes or excludes: the only ones its program depends on. */
    static Set<String> decidingCaps(SeccompProfile profile) {
        Set<String> caps = new TreeSet<>();
        for (SyscallRule rule : profile.syscalls()) {
            caps.addAll(rule.includes().caps());
            caps.addAll(rule.excludes().caps());
        }
        return caps;
    }

    /** The highest {@code minKernel} of the profile's rules: from there on, every rule applies as it says. */
    static KernelVersion minKernel(SeccompProfile profile) {
        KernelVersion max = new KernelVersion(0, 0);
        for (SyscallRule rule : profile.syscalls()) {
            String min = rule.includes().minKernel();
            if (min != null && !min.isEmpty()) {
                KernelVersion v = KernelVersion.parse(min);
                max = v.compareTo(max) > 0 ? v : max;
            }
        }
        return max;
    }

    /** Writes {@value #RESOURCE} for the default profile to the file {@code args[0]}; the build runs it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DefaultSeccompPrograms OUTPUT_FILE");
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) { // BpfProgram.toBytes writes the build's order
            throw new IllegalStateException("the programs are for little-endian machines: build on one");
        }
        Map<String, String> entries = generate();
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.ISO_8859_1)) {
            // Properties.store would add a timestamp: the file is written by hand so that builds are reproducible.
            w.write("# Docker's default seccomp profile (default.json) compiled by SeccompCompiler at build time.\n");
            for (Map.Entry<String, String> e : entries.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
    }

    /** The resource's entries: minimum kernel, deciding capabilities and a program per architecture and set. */
    static Map<String, String> generate() {
        SeccompProfile profile = SeccompProfile.dockerDefault();
        KernelVersion kernel = minKernel(profile);
        Set<String> deciding = decidingCaps(profile);
        Map<String, String> entries = new TreeMap<>();
        entries.put(MIN_KERNEL, kernel.toString());
        entries.put(DECIDING, String.join(",", deciding));
        for (SeccompArch arch : SeccompArch.values()) {
            for (Set<Capability> caps : PRECOMPILED_SETS) {
                byte[] program = SeccompCompiler.compile(profile, arch, caps, kernel).toBytes();
                entries.put(key(arch, deciding(deciding, caps)), Base64.getEncoder().encodeToString(program));
            }
        }
        return entries;
    }
}
