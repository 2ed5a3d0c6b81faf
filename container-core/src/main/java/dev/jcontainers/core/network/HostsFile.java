package dev.jcontainers.core.network;

import java.util.List;

/** A container's {@code /etc/hosts}: loopback names, then its own address and name, then its peers'. */
public final class HostsFile {
    public static final String LOOPBACK = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            + "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    /** One line: an address and the names it answers to. */
    public record Entry(String address, List<String> names) {
    }

    private HostsFile() {
    }

    public static String render(List<Entry> entries) {
        StringBuilder out = new StringBuilder(LOOPBACK);
        for (Entry e : entries) {
            out.append(e.address()).append('\t').append(String.join(" ", e.names())).append('\n');
        }
        return out.toString();
    }
}
