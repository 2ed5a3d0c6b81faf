package dev.jcontainers.linux.capability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Capability sets: parsing, masks, and Docker's default set with its {@code --cap-add}/{@code --cap-drop} rules. */
public final class Capabilities {
    /** The keyword that stands for every capability in {@code --cap-add} and {@code --cap-drop}. */
    public static final String ALL_KEYWORD = "ALL";

    /** What Docker grants a container that asks for nothing (moby {@code oci/caps/defaults.go}). */
    public static final Set<Capability> DOCKER_DEFAULTS = Collections.unmodifiableSet(EnumSet.of(
            Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FSETID, Capability.FOWNER, Capability.MKNOD,
            Capability.NET_RAW, Capability.SETGID, Capability.SETUID, Capability.SETFCAP, Capability.SETPCAP,
            Capability.NET_BIND_SERVICE, Capability.SYS_CHROOT, Capability.KILL, Capability.AUDIT_WRITE));

    private static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");

    private Capabilities() {
    }

    /** Every capability this library knows (0 to 40). */
    public static Set<Capability> all() {
        return EnumSet.allOf(Capability.class);
    }

    /**
     * A capability name, or {@code ALL}, as a set.
     *
     * @throws UnknownCapabilityException for a name that is neither
     */
    public static Set<Capability> parse(String name) {
        if (isAll(name)) {
            return all();
        }
        return EnumSet.of(Capability.of(name));
    }

    /** The 64-bit mask with the bit of each capability set, as {@code capset(2)} and {@code /proc} use it. */
    public static long mask(Collection<Capability> capabilities) {
        long mask = 0;
        for (Capability c : capabilities) {
            mask |= c.bit();
        }
        return mask;
    }

    /** The capabilities whose bits are set in {@code mask}; bits beyond the known capabilities are ignored. */
    public static Set<Capability> fromMask(long mask) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (Capability c : Capability.values()) {
            if ((mask & c.bit()) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    /**
     * Docker's rule for {@code --cap-add}/{@code --cap-drop} (moby {@code oci/caps.TweakCapabilities}):
     * with {@code ALL} in {@code add}, every capability except those dropped; otherwise with {@code ALL} in
     * {@code drop}, exactly the added ones; otherwise the defaults minus the dropped ones, plus the added
     * ones (so a capability both dropped and added is kept, as in Docker). {@code ALL} in both lists means
     * every capability, as in Docker.
     *
     * @throws UnknownCapabilityException for a name that is neither a capability nor {@code ALL}
     */
    public static Set<Capability> resolve(Collection<Capability> defaults, Collection<String> add,
            Collection<String> drop) {
        Set<Capability> added = parseAll(add);
        Set<Capability> dropped = parseAll(drop);
        Set<Capability> result;
        if (add.stream().anyMatch(Capabilities::isAll)) {
            result = all();
            result.removeAll(dropped);
        } else if (drop.stream().anyMatch(Capabilities::isAll)) {
            result = added;
        } else {
            result = defaults.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(defaults);
            result.removeAll(dropped);
            result.addAll(added);
        }
        return result;
    }

    /**
     * The capabilities the running kernel knows ({@code /proc/sys/kernel/cap_last_cap}): asking for a
     * newer one in {@code capset(2)} fails with EINVAL, so a runtime trims its sets to this.
     */
    public static Set<Capability> supportedByKernel() {
        try {
            // Not Files.readString: it reads one byte first, and an integer sysctl answers a read at a
            // non-zero offset with end of file, so "40" comes back as "4".
            int last = Integer.parseInt(Files.readAllLines(CAP_LAST_CAP).getFirst().strip());
            Set<Capability> set = EnumSet.noneOf(Capability.class);
            for (Capability c : Capability.values()) {
                if (c.number() <= last) {
                    set.add(c);
                }
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CAP_LAST_CAP, e);
        }
    }

    /** The named capabilities; the {@code ALL} keyword is handled by the caller. */
    private static Set<Capability> parseAll(Collection<String> names) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (String name : names) {
            if (!isAll(name)) {
                set.add(Capability.of(name));
            }
        }
        return set;
    }

    private static boolean isAll(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return upper.equals(ALL_KEYWORD) || upper.equals("CAP_ALL");
    }
}
