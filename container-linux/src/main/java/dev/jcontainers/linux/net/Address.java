package dev.jcontainers.linux.net;

import java.net.InetAddress;

/**
 * An IP address assigned to a link, as RTM_GETADDR reports it.
 *
 * @param linkIndex    index of the link that holds it
 * @param address      the local address ({@code IFA_LOCAL}, or {@code IFA_ADDRESS} when there is no local)
 * @param prefixLength the prefix length of its subnet
 * @param scope        RT_SCOPE_* (0 universe, 253 link, 254 host)
 * @param broadcast    the IPv4 broadcast address ({@code IFA_BROADCAST}), null when there is none
 * @param label        the IPv4 label (usually the link name), null for IPv6
 */
public record Address(int linkIndex, InetAddress address, int prefixLength, int scope, InetAddress broadcast,
        String label) {

    public IpPrefix subnet() {
        return new IpPrefix(address, prefixLength).network();
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + " on link " + linkIndex;
    }
}
