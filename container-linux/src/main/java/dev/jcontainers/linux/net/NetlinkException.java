package dev.jcontainers.linux.net;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.ffm.Errno;

import java.util.Map;

/**
 * The kernel refused a netlink request: {@link #errno()} says why, the message names the request, e.g.
 * {@code create bridge jcbr0: File exists (EEXIST)}, followed by the kernel's own explanation when it sent
 * one (extended ack, e.g. {@code "Unknown device type"}).
 */
public class NetlinkException extends ContainerException {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"), Map.entry(9, "EBADF"),
            Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"),
            Map.entry(19, "ENODEV"), Map.entry(22, "EINVAL"), Map.entry(34, "ERANGE"),
            Map.entry(95, "EOPNOTSUPP"), Map.entry(97, "EAFNOSUPPORT"), Map.entry(99, "EADDRNOTAVAIL"),
            Map.entry(101, "ENETUNREACH"), Map.entry(105, "ENOBUFS"));

    private final int errno;
    private final String request;
    private final String kernelMessage;

    public NetlinkException(String request, int errno, String kernelMessage) {
        super(request + ": " + Errno.describe(errno) + " (" + NAMES.getOrDefault(errno, "errno " + errno) + ")"
                + (kernelMessage == null || kernelMessage.isEmpty() ? "" : ": " + kernelMessage));
        this.errno = errno;
        this.request = request;
        this.kernelMessage = kernelMessage;
    }

    /** The positive errno the kernel answered with. */
    public int errno() {
        return errno;
    }

    /** What was asked, e.g. {@code create bridge jcbr0}. */
    public String request() {
        return request;
    }

    /** The kernel's extended-ack text ({@code NLMSGERR_ATTR_MSG}), or null when it sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
