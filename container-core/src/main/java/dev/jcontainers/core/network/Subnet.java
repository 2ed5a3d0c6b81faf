package dev.jcontainers.core.network;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 subnet such as {@code 10.77.0.0/16}, with addresses as unsigned 32-bit values in an {@code int}
 * (the arithmetic an allocator needs). Parsing never looks a name up.
 */
public record Subnet(int network, int length) {

    public Subnet {
        if (length < 8 || length > 30) {
            throw new IllegalArgumentException("a network's prefix length must be 8..30, not " + length);
        }
        if ((network & ~mask(length)) != 0) {
            throw new IllegalArgumentException(format(network) + "/" + length + " has host bits set; the subnet is "
                    + format(network & mask(length)) + "/" + length);
        }
    }

    /** {@code a.b.c.d/len}, the network address exactly (no host bits). */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": expected CIDR notation, e.g. 10.78.0.0/16");
        }
        int length;
        try {
            length = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": bad prefix length", e);
        }
        return new Subnet(parseAddress(cidr.substring(0, slash)), length);
    }

    /** A dotted-quad IPv4 address as an unsigned value. */
    public static int parseAddress(String text) {
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IPv4 address " + text, e);
        }
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("only IPv4 networks are supported: " + text);
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    public static InetAddress toInetAddress(int address) {
        return InetAddress.ofLiteral(format(address));
    }

    static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public boolean contains(int address) {
        return (address & mask(length)) == network;
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(length, other.length);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The broadcast address: every host bit set. */
    public int broadcast() {
        return network | ~mask(length);
    }

    /** The first usable address, {@code .1} of the subnet: the default gateway. */
    public int firstHost() {
        return network + 1;
    }

    /** Whether {@code address} may be given to a host: inside, and neither network nor broadcast address. */
    public boolean isHost(int address) {
        return contains(address) && address != network && address != broadcast();
    }

    @Override
    public String toString() {
        return format(network) + "/" + length;
    }
}
