package dev.jcontainers.linux.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.213.0.0/24} or {@code fd00:6a63::/64}; length 0 is the
 * default route of its family. Literals are parsed without any name lookup.
 */
public record IpPrefix(InetAddress address, int length) {

    public IpPrefix {
        int max = maxLength(address);
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max + " for "
                    + address.getHostAddress());
        }
    }

    /** Parses {@code address/length}; a bare address is a host prefix (/32 or /128). */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = InetAddress.ofLiteral(slash < 0 ? text : text.substring(0, slash));
        return new IpPrefix(address, slash < 0 ? maxLength(address) : Integer.parseInt(text.substring(slash + 1)));
    }

    /** The default route ({@code 0.0.0.0/0} or {@code ::/0}) of the family of {@code like}. */
    public static IpPrefix defaultRoute(InetAddress like) {
        return parse(like instanceof Inet4Address ? "0.0.0.0/0" : "::/0");
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isDefault() {
        return length == 0;
    }

    /** The same prefix with the host bits cleared. */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes cannot be invalid", e);
        }
    }

    /** Whether {@code other} lies inside this prefix. */
    public boolean contains(InetAddress other) {
        return other.getAddress().length == address.getAddress().length
                && new IpPrefix(other, length).network().equals(network());
    }

    static int maxLength(InetAddress address) {
        return address.getAddress().length * 8;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
