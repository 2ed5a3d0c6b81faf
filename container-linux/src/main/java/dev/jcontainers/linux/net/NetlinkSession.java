package dev.jcontainers.linux.net;

import static dev.jcontainers.linux.ffm.NetlinkSocket.AF_INET;
import static dev.jcontainers.linux.ffm.NetlinkSocket.AF_INET6;
import static dev.jcontainers.linux.ffm.NetlinkSocket.AF_UNSPEC;
import static dev.jcontainers.linux.ffm.NetlinkSocket.NLM_F_ACK;
import static dev.jcontainers.linux.ffm.NetlinkSocket.NLM_F_CREATE;
import static dev.jcontainers.linux.ffm.NetlinkSocket.NLM_F_DUMP;
import static dev.jcontainers.linux.ffm.NetlinkSocket.NLM_F_EXCL;
import static dev.jcontainers.linux.ffm.NetlinkSocket.NLM_F_REQUEST;
import static dev.jcontainers.linux.ffm.Rtnetlink.offset;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.ffm.Rtnetlink;
import dev.jcontainers.linux.ffm.Unistd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An rtnetlink ({@code NETLINK_ROUTE}) client: links (bridges, veth pairs), addresses and routes of one
 * network namespace, with no {@code ip} command involved.
 *
 * <p>The socket belongs to the network namespace of the thread that created it, for its whole life, and
 * then works from any thread: {@link #open()} uses the caller's namespace, {@link #openIn(Path)} another
 * one. Requests are serialized; each waits for the kernel's acknowledgement, and a refusal is a
 * {@link NetlinkException} naming the request and the errno. Creation is atomic in the kernel: a failed
 * create leaves nothing behind.
 */
public final class NetlinkSession implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int DUMP_ATTEMPTS = 5;
    private static final int IFINFOMSG = (int) Rtnetlink.IFINFOMSG.byteSize();
    private static final int IFADDRMSG = (int) Rtnetlink.IFADDRMSG.byteSize();
    private static final int NLMSGERR = (int) NetlinkSocket.NLMSGERR.byteSize();
    private static final int NLMSGHDR = (int) NetlinkSocket.NLMSGHDR.byteSize();

    private final int fd;
    private final int portId;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER);
    private int seq;
    private boolean closed;
    /** How many datagrams the last reply took (a dump of many links takes several); for tests. */
    private int lastReplyDatagrams;

    private NetlinkSession(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    /** A session in the calling thread's network namespace. */
    public static NetlinkSession open() {
        int fd = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        try {
            int portId = NetlinkSocket.bindAutoPortId(fd);
            NetlinkSocket.setIntOption(fd, NetlinkSocket.SOL_NETLINK, NetlinkSocket.NETLINK_EXT_ACK, 1);
            NetlinkSocket.setIntOption(fd, NetlinkSocket.SOL_NETLINK, NetlinkSocket.NETLINK_CAP_ACK, 1);
            return new NetlinkSession(fd, portId);
        } catch (RuntimeException e) {
            Unistd.close(fd);
            throw e;
        }
    }

    /**
     * A session in the network namespace of {@code netnsFile} ({@code /proc/<pid>/ns/net}, a bind-mounted
     * namespace file): the socket is created on a dedicated thread that entered that namespace.
     */
    public static NetlinkSession openIn(Path netnsFile) {
        try (NetworkNamespace ns = NetworkNamespace.open(netnsFile)) {
            return ns.openSession();
        }
    }

    // ---- links

    /**
     * {@code ip link add NAME [mtu MTU] type bridge}; {@code mtu} 0 keeps the kernel's default. The kernel
     * lets a bridge's MTU follow the smallest MTU of its ports, so give the veth ends plugged into it the
     * same MTU ({@link #createVethPair(String, String, int, int)}).
     */
    public void createBridge(String name, int mtu) {
        NetlinkRequest r = newLink(name).ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, name);
        if (mtu > 0) {
            r.attrInt(Rtnetlink.IFLA_MTU, mtu);
        }
        int info = r.beginNested(Rtnetlink.IFLA_LINKINFO);
        r.attr(Rtnetlink.IFLA_INFO_KIND, "bridge");
        r.endNested(info);
        acknowledged(r, "create bridge " + name);
    }

    /**
     * The IPv4 GSO/GRO packet size limit given to both ends of the veth pairs this session creates, as
     * Cilium does for pods: IPv4 BIG TCP ({@code ip link set ... gso_ipv4_max_size N
     * gro_ipv4_max_size N}). The MTU, and so every frame on a wire, stays as it is; only the packets the
     * stack hands through these virtual links in one piece get larger: TCP over a 1500-byte MTU bridge
     * moves ~190 KiB per trip through veth, bridge and netfilter instead of 64 KiB, which measured 2x the
     * container-to-container throughput (benchmarks/RESULTS.md section 8). A bridge forwards such packets
     * as they are (it cannot be created with the limit: its own follows its ports); a packet routed on to a
     * device with the usual 64 KiB limit is segmented in software there.
     */
    public static final int BIG_TCP_IPV4_MAX_SIZE = 196_608;

    private static void bigTcp(NetlinkRequest r) {
        r.attrInt(Rtnetlink.IFLA_GSO_IPV4_MAX_SIZE, BIG_TCP_IPV4_MAX_SIZE)
                .attrInt(Rtnetlink.IFLA_GRO_IPV4_MAX_SIZE, BIG_TCP_IPV4_MAX_SIZE);
    }

    /** {@code ip link add NAME type veth peer name PEER}: both ends in this session's namespace. */
    public void createVethPair(String name, String peerName) {
        createVethPair(name, peerName, 0, -1);
    }

    /**
     * A veth pair, both ends with MTU {@code mtu} (0: the kernel's default), the peer end created directly
     * in the namespace open as {@code peerNetnsFd} (-1: this one), so that it never appears here. One
     * request: either both ends exist afterwards or neither does. Both ends allow IPv4 BIG TCP
     * ({@link #BIG_TCP_IPV4_MAX_SIZE}).
     */
    public void createVethPair(String name, String peerName, int mtu, int peerNetnsFd) {
        createVethPair(name, peerName, mtu, peerNetnsFd, 0);
    }

    /**
     * As {@link #createVethPair(String, String, int, int)}, with this end plugged into the bridge of index
     * {@code masterIndex} and up, in the same request ({@code ip link add ... master BR up}); 0: neither.
     */
    public void createVethPair(String name, String peerName, int mtu, int peerNetnsFd, int masterIndex) {
        int up = masterIndex > 0 ? Rtnetlink.IFF_UP : 0;
        NetlinkRequest r = newLink(name).ifinfomsg(AF_UNSPEC, 0, up, up).attr(Rtnetlink.IFLA_IFNAME, name);
        if (mtu > 0) {
            r.attrInt(Rtnetlink.IFLA_MTU, mtu);
        }
        if (masterIndex > 0) {
            r.attrInt(Rtnetlink.IFLA_MASTER, masterIndex);
        }
        bigTcp(r);
        int info = r.beginNested(Rtnetlink.IFLA_LINKINFO);
        r.attr(Rtnetlink.IFLA_INFO_KIND, "veth");
        int data = r.beginNested(Rtnetlink.IFLA_INFO_DATA);
        int peer = r.beginNested(Rtnetlink.VETH_INFO_PEER);
        r.ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, peerName);
        if (mtu > 0) {
            r.attrInt(Rtnetlink.IFLA_MTU, mtu);
        }
        bigTcp(r);
        if (peerNetnsFd >= 0) {
            r.attrInt(Rtnetlink.IFLA_NET_NS_FD, peerNetnsFd);
        }
        r.endNested(peer).endNested(data).endNested(info);
        acknowledged(r, "create veth pair " + name + "/" + peerName);
    }

    /**
     * {@code ip link add link PARENT name NAME netns FD type macvlan mode bridge}: a link with its own MAC
     * address on the parent link of this session's namespace, created directly in the namespace open as
     * {@code netnsFd}. Macvlan links of one parent reach each other (bridge mode) and the parent's network,
     * not the parent itself.
     */
    public void createMacvlan(String name, String parent, int netnsFd) {
        NetlinkRequest r = newLink(name).ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, name)
                .attrInt(Rtnetlink.IFLA_LINK, linkIndex(parent)).attrInt(Rtnetlink.IFLA_NET_NS_FD, netnsFd);
        int info = r.beginNested(Rtnetlink.IFLA_LINKINFO);
        r.attr(Rtnetlink.IFLA_INFO_KIND, "macvlan");
        int data = r.beginNested(Rtnetlink.IFLA_INFO_DATA);
        r.attrInt(Rtnetlink.IFLA_MACVLAN_MODE, Rtnetlink.MACVLAN_MODE_BRIDGE);
        r.endNested(data).endNested(info);
        acknowledged(r, "create macvlan " + name + " on " + parent);
    }

    /** {@code ip link del NAME}; for a veth both ends go. ENODEV when there is no such link. */
    public void deleteLink(String name) {
        NetlinkRequest r = new NetlinkRequest(Rtnetlink.RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, name);
        acknowledged(r, "delete link " + name);
    }

    public void setLinkUp(String name) {
        acknowledged(changeLink(name, Rtnetlink.IFF_UP, Rtnetlink.IFF_UP), "set link " + name + " up");
    }

    public void setLinkDown(String name) {
        acknowledged(changeLink(name, 0, Rtnetlink.IFF_UP), "set link " + name + " down");
    }

    public void setMtu(String name, int mtu) {
        acknowledged(changeLink(name, 0, 0).attrInt(Rtnetlink.IFLA_MTU, mtu), "set mtu " + mtu + " on " + name);
    }

    /** {@code ip link set LINK master BRIDGE}: plugs the link into the bridge. */
    public void setMaster(String link, String bridge) {
        int bridgeIndex = linkIndex(bridge);
        acknowledged(changeLink(link, 0, 0).attrInt(Rtnetlink.IFLA_MASTER, bridgeIndex),
                "set master of " + link + " to " + bridge);
    }

    /** {@code ip link set LINK nomaster}. */
    public void clearMaster(String link) {
        acknowledged(changeLink(link, 0, 0).attrInt(Rtnetlink.IFLA_MASTER, 0), "clear master of " + link);
    }

    /**
     * Moves a link into the namespace open as {@code netnsFd} ({@code /proc/<pid>/ns/net},
     * {@link NetworkNamespace#fd()}; whether a pidfd works here is untested, use
     * {@link #moveToNetnsOfProcess} for a process). The link disappears from this namespace; it arrives down.
     */
    public void moveToNetns(String link, int netnsFd) {
        acknowledged(changeLink(link, 0, 0).attrInt(Rtnetlink.IFLA_NET_NS_FD, netnsFd),
                "move link " + link + " to namespace fd " + netnsFd);
    }

    /** Moves a link into the network namespace of process {@code pid}. */
    public void moveToNetnsOfProcess(String link, int pid) {
        acknowledged(changeLink(link, 0, 0).attrInt(Rtnetlink.IFLA_NET_NS_PID, pid),
                "move link " + link + " to the namespace of pid " + pid);
    }

    /**
     * {@code ip link set LINK name NEW}. Kernels before 6.10 refuse (EBUSY) while the link is up, so
     * rename before {@link #setLinkUp}.
     */
    public void rename(String link, String newName) {
        int index = linkIndex(link);
        NetlinkRequest r = new NetlinkRequest(Rtnetlink.RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
                .ifinfomsg(AF_UNSPEC, index, 0, 0).attr(Rtnetlink.IFLA_IFNAME, newName);
        acknowledged(r, "rename link " + link + " to " + newName);
    }

    /** The index of a link; ENODEV when there is none of that name. */
    public int linkIndex(String name) {
        return getLink(name, "look up link " + name).index();
    }

    /** The link of that name, if there is one. */
    public Optional<Link> findLink(String name) {
        try {
            return Optional.of(getLink(name, "look up link " + name));
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkSocket.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every link of the namespace ({@code ip link show}). */
    public List<Link> listLinks() {
        List<Link> links = new ArrayList<>();
        for (NetlinkMessage m : dump(Rtnetlink.RTM_GETLINK, IFINFOMSG, "list links")) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                links.add(parseLink(m.payload()));
            }
        }
        return links;
    }

    // ---- addresses

    /**
     * {@code ip addr add ADDRESS/PREFIX dev LINK}; for IPv4 also the subnet's broadcast address. EEXIST
     * when the link already has it.
     */
    public void addAddress(String link, InetAddress address, int prefixLength) {
        acknowledged(newAddress(linkIndex(link), address, prefixLength), describeAddress(address, prefixLength, link));
    }

    private static NetlinkRequest newAddress(int linkIndex, InetAddress address, int prefixLength) {
        NetlinkRequest r = addressRequest(Rtnetlink.RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, linkIndex, address,
                prefixLength);
        if (address instanceof Inet4Address && prefixLength < 31) {
            r.attr(Rtnetlink.IFA_BROADCAST, broadcast(address, prefixLength));
        }
        return r;
    }

    private static String describeAddress(InetAddress address, int prefixLength, String link) {
        return "add address " + address.getHostAddress() + "/" + prefixLength + " to " + link;
    }

    /** {@code ip addr del ADDRESS/PREFIX dev LINK}; EADDRNOTAVAIL when the link does not have it. */
    public void deleteAddress(String link, InetAddress address, int prefixLength) {
        acknowledged(addressRequest(Rtnetlink.RTM_DELADDR, 0, linkIndex(link), address, prefixLength),
                "delete address " + address.getHostAddress() + "/" + prefixLength + " from " + link);
    }

    /** Every address of every link ({@code ip addr show}), IPv4 and IPv6. */
    public List<Address> listAddresses() {
        List<Address> addresses = new ArrayList<>();
        for (NetlinkMessage m : dump(Rtnetlink.RTM_GETADDR, IFADDRMSG, "list addresses")) {
            if (m.type() == Rtnetlink.RTM_NEWADDR) {
                addresses.add(parseAddress(m.payload()));
            }
        }
        return addresses;
    }

    private static NetlinkRequest addressRequest(int type, int extraFlags, int index, InetAddress address,
            int prefixLength) {
        new IpPrefix(address, prefixLength); // validates the length for the family
        byte[] raw = address.getAddress();
        return new NetlinkRequest(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags)
                .ifaddrmsg(family(address), prefixLength, 0, Rtnetlink.RT_SCOPE_UNIVERSE, index)
                .attr(Rtnetlink.IFA_LOCAL, raw)
                .attr(Rtnetlink.IFA_ADDRESS, raw);
    }

    // ---- routes

    /**
     * {@code ip route add DESTINATION [via GATEWAY] [dev LINK]} in the main table. {@code destination}
     * null means the default route of the gateway's family; {@code gateway} null means the destination
     * is directly on {@code link}; {@code link} may be null when a gateway is given.
     */
    public void addRoute(IpPrefix destination, InetAddress gateway, String link) {
        acknowledged(routeRequest(Rtnetlink.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, destination, gateway,
                        link == null ? 0 : linkIndex(link)),
                "add route " + describeRoute(destination, gateway, link));
    }

    /** {@code ip route del ...} with the same arguments as {@link #addRoute}; ESRCH when there is none. */
    public void deleteRoute(IpPrefix destination, InetAddress gateway, String link) {
        acknowledged(routeRequest(Rtnetlink.RTM_DELROUTE, 0, destination, gateway, link == null ? 0 : linkIndex(link)),
                "delete route " + describeRoute(destination, gateway, link));
    }

    /** {@code linkIndex} 0: no output link. */
    private static NetlinkRequest routeRequest(int type, int extraFlags, IpPrefix destination, InetAddress gateway,
            int linkIndex) {
        if (destination == null && gateway == null) {
            throw new IllegalArgumentException("a route needs a destination, a gateway or both");
        }
        if (gateway == null && linkIndex == 0) {
            throw new IllegalArgumentException("a route without a gateway needs a link");
        }
        IpPrefix dst = destination != null ? destination.network() : IpPrefix.defaultRoute(gateway);
        if (gateway != null && gateway.getAddress().length != dst.address().getAddress().length) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " is not of the family of "
                    + dst);
        }
        int scope = gateway == null ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE;
        NetlinkRequest r = new NetlinkRequest(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags)
                .rtmsg(family(dst.address()), dst.length(), Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTPROT_BOOT, scope,
                        Rtnetlink.RTN_UNICAST);
        if (!dst.isDefault()) {
            r.attr(Rtnetlink.RTA_DST, dst.address().getAddress());
        }
        if (gateway != null) {
            r.attr(Rtnetlink.RTA_GATEWAY, gateway.getAddress());
        }
        if (linkIndex != 0) {
            r.attrInt(Rtnetlink.RTA_OIF, linkIndex);
        }
        return r;
    }

    private static String describeRoute(IpPrefix destination, InetAddress gateway, String link) {
        return (destination == null ? "default" : destination.toString())
                + (gateway == null ? "" : " via " + gateway.getHostAddress())
                + (link == null ? "" : " dev " + link);
    }

    // ---- batches

    /** A {@link Batch} of requests to this session, sent together by {@link Batch#send()}. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * Requests sent to the kernel in one datagram and acknowledged together: one round trip instead of one
     * each, for the steps that configure a container's interface at every start. The kernel carries out
     * every request of the datagram in order, also those after one it refused; {@link #send()} then throws
     * the first refusal (any later ones suppressed in it). Links are named by index, which the caller looks
     * up once ({@link #linkIndex}), except where a request accepts a name.
     */
    public final class Batch {
        private final List<NetlinkRequest> requests = new ArrayList<>();
        private final List<String> descriptions = new ArrayList<>();
        private final List<Integer> toleratedErrnos = new ArrayList<>();

        private Batch() {
        }

        /** As {@link NetlinkSession#addAddress}, on the link of index {@code linkIndex}. */
        public Batch addAddress(int linkIndex, String linkName, InetAddress address, int prefixLength) {
            return add(newAddress(linkIndex, address, prefixLength), describeAddress(address, prefixLength, linkName), 0);
        }

        /** As {@link NetlinkSession#setLinkUp}. */
        public Batch setLinkUp(String name) {
            return add(changeLink(name, Rtnetlink.IFF_UP, Rtnetlink.IFF_UP), "set link " + name + " up", 0);
        }

        /**
         * As {@link NetlinkSession#addRoute} through the link of index {@code linkIndex} (0: none), where
         * an identical route already there (EEXIST) is no failure.
         */
        public Batch addRouteUnlessPresent(IpPrefix destination, InetAddress gateway, int linkIndex, String linkName) {
            return add(routeRequest(Rtnetlink.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, destination, gateway, linkIndex),
                    "add route " + describeRoute(destination, gateway, linkName), Errno.EEXIST);
        }

        /** Sends every request added, in order, and waits for every acknowledgement. */
        public void send() {
            if (!requests.isEmpty()) {
                acknowledgedAll(requests, descriptions, toleratedErrnos);
            }
        }

        private Batch add(NetlinkRequest request, String description, int toleratedErrno) {
            requests.add(request);
            descriptions.add(description);
            toleratedErrnos.add(toleratedErrno);
            return this;
        }
    }

    synchronized int lastReplyDatagrams() {
        return lastReplyDatagrams;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Unistd.close(fd);
            arena.close();
        }
    }

    // ---- requests and replies

    private static NetlinkRequest newLink(String name) {
        return new NetlinkRequest(Rtnetlink.RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    }

    /** RTM_NEWLINK without NLM_F_CREATE on an existing link, found by name: changes it, ENODEV if missing. */
    private static NetlinkRequest changeLink(String name, int flags, int change) {
        return new NetlinkRequest(Rtnetlink.RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
                .ifinfomsg(AF_UNSPEC, 0, flags, change).attr(Rtnetlink.IFLA_IFNAME, name);
    }

    private Link getLink(String name, String description) {
        NetlinkRequest r = new NetlinkRequest(Rtnetlink.RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, name);
        for (NetlinkMessage m : exchange(r, description)) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                return parseLink(m.payload());
            }
        }
        throw new IllegalStateException(description + ": the kernel acknowledged without a link");
    }

    private void acknowledged(NetlinkRequest request, String description) {
        exchange(request, description);
    }

    /**
     * Sends {@code requests} (each asking for an acknowledgement) in one datagram, with consecutive sequence
     * numbers, and collects one acknowledgement per request. {@code toleratedErrnos}: per request, an errno
     * that counts as success (0: none).
     */
    private synchronized void acknowledgedAll(List<NetlinkRequest> requests, List<String> descriptions,
            List<Integer> toleratedErrnos) {
        if (closed) {
            throw new IllegalStateException("netlink session is closed");
        }
        int firstSeq = seq + 1;
        seq += requests.size();
        byte[][] messages = new byte[requests.size()][];
        int length = 0;
        for (int i = 0; i < messages.length; i++) {
            messages[i] = requests.get(i).finish(firstSeq + i, portId);
            length += messages[i].length; // each a multiple of NLMSG_ALIGNTO: no padding between them
        }
        byte[] datagram = new byte[length];
        int at = 0;
        for (byte[] m : messages) {
            System.arraycopy(m, 0, datagram, at, m.length);
            at += m.length;
        }
        NetlinkSocket.sendToKernel(fd, datagram, length);
        boolean[] acknowledged = new boolean[messages.length];
        int pending = messages.length;
        NetlinkException failure = null;
        lastReplyDatagrams = 0;
        while (pending > 0) {
            long n = NetlinkSocket.receive(fd, receiveBuffer);
            lastReplyDatagrams++;
            if (n > RECEIVE_BUFFER) {
                throw new IllegalStateException(descriptions.getFirst() + ": a " + n
                        + "-byte netlink reply did not fit into " + RECEIVE_BUFFER + " bytes");
            }
            ByteBuffer replies = receiveBuffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            for (NetlinkMessage m : NetlinkMessage.parseAll(copy(replies))) {
                int i = m.seq() - firstSeq;
                if (i < 0 || i >= messages.length || m.type() != NetlinkSocket.NLMSG_ERROR || acknowledged[i]) {
                    continue; // a late reply to an earlier request, or nothing this batch waits for
                }
                acknowledged[i] = true;
                pending--;
                int errno = -m.payload().getInt(offset(NetlinkSocket.NLMSGERR, "error"));
                if (errno != 0 && errno != toleratedErrnos.get(i)) {
                    NetlinkException refused = new NetlinkException(descriptions.get(i), errno, extendedAckMessage(m));
                    if (failure == null) {
                        failure = refused;
                    } else {
                        failure.addSuppressed(refused);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A dump request with an all-zero family header; restarted when the kernel says it was interrupted. */
    private List<NetlinkMessage> dump(int type, int headerSize, String description) {
        for (int attempt = 1; ; attempt++) {
            NetlinkRequest r = new NetlinkRequest(type, NLM_F_REQUEST | NLM_F_DUMP);
            if (headerSize == IFINFOMSG) {
                r.ifinfomsg(AF_UNSPEC, 0, 0, 0);
            } else {
                r.ifaddrmsg(AF_UNSPEC, 0, 0, 0, 0);
            }
            try {
                return exchange(r, description);
            } catch (DumpInterrupted e) {
                if (attempt == DUMP_ATTEMPTS) {
                    throw new NetlinkException(description + " (the set kept changing during " + attempt
                            + " attempts)", Errno.EINTR, null);
                }
            }
        }
    }

    /** Thrown inside {@link #dump} when a message carried NLM_F_DUMP_INTR: the set changed mid-dump. */
    private static final class DumpInterrupted extends RuntimeException {
        DumpInterrupted() {
            super(null, null, false, false);
        }
    }

    /**
     * Sends one request and collects the replies to it: for a dump every message up to NLMSG_DONE, otherwise
     * every message up to the acknowledgement (an NLMSG_ERROR with error 0), which the request asks for.
     */
    private synchronized List<NetlinkMessage> exchange(NetlinkRequest request, String description) {
        if (closed) {
            throw new IllegalStateException("netlink session is closed");
        }
        int mySeq = ++seq;
        byte[] bytes = request.finish(mySeq, portId);
        NetlinkSocket.sendToKernel(fd, bytes, bytes.length);
        List<NetlinkMessage> replies = new ArrayList<>();
        boolean interrupted = false;
        lastReplyDatagrams = 0;
        while (true) {
            long n = NetlinkSocket.receive(fd, receiveBuffer);
            lastReplyDatagrams++;
            if (n > RECEIVE_BUFFER) {
                throw new IllegalStateException(description + ": a " + n + "-byte netlink reply did not fit into "
                        + RECEIVE_BUFFER + " bytes");
            }
            ByteBuffer datagram = receiveBuffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            for (NetlinkMessage m : NetlinkMessage.parseAll(copy(datagram))) {
                if (m.seq() != mySeq) {
                    continue; // late reply to an earlier request that failed half-way
                }
                interrupted |= (m.flags() & NetlinkSocket.NLM_F_DUMP_INTR) != 0;
                switch (m.type()) {
                    case NetlinkSocket.NLMSG_NOOP -> { }
                    case NetlinkSocket.NLMSG_ERROR -> {
                        int error = m.payload().getInt(offset(NetlinkSocket.NLMSGERR, "error"));
                        if (error == 0) {
                            return replies;
                        }
                        throw new NetlinkException(description, -error, extendedAckMessage(m));
                    }
                    case NetlinkSocket.NLMSG_DONE -> {
                        int error = m.payload().remaining() >= 4 ? m.payload().getInt(0) : 0;
                        if (error < 0) {
                            throw new NetlinkException(description, -error, null);
                        }
                        if (interrupted) {
                            throw new DumpInterrupted();
                        }
                        return replies;
                    }
                    case NetlinkSocket.NLMSG_OVERRUN ->
                            throw new IllegalStateException(description + ": netlink overrun, replies were lost");
                    default -> replies.add(m);
                }
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer datagram) {
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).order(ByteOrder.nativeOrder());
        copy.put(datagram).flip();
        return copy;
    }

    /**
     * NLMSGERR_ATTR_MSG of an error reply, or null: the attributes follow the echoed request, which
     * NETLINK_CAP_ACK cuts to its header (NLM_F_CAPPED).
     */
    private static String extendedAckMessage(NetlinkMessage error) {
        if ((error.flags() & NetlinkSocket.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        ByteBuffer p = error.payload();
        int echoed = p.getInt(offset(NetlinkSocket.NLMSGERR, "msg") + offset(NetlinkSocket.NLMSGHDR, "nlmsg_len"));
        int from = (error.flags() & NetlinkSocket.NLM_F_CAPPED) != 0 ? NLMSGERR : NLMSGERR + echoed - NLMSGHDR;
        from = NetlinkRequest.align(from);
        if (from >= p.limit()) {
            return null;
        }
        return RtAttributes.parse(p, from).string(NetlinkSocket.NLMSGERR_ATTR_MSG);
    }

    private static Link parseLink(ByteBuffer p) {
        RtAttributes attrs = RtAttributes.parse(p, IFINFOMSG);
        byte[] mac = attrs.bytes(Rtnetlink.IFLA_ADDRESS);
        return new Link(
                p.getInt(offset(Rtnetlink.IFINFOMSG, "ifi_index")),
                attrs.string(Rtnetlink.IFLA_IFNAME),
                attrs.nested(Rtnetlink.IFLA_LINKINFO).string(Rtnetlink.IFLA_INFO_KIND),
                Short.toUnsignedInt(p.getShort(offset(Rtnetlink.IFINFOMSG, "ifi_type"))),
                attrs.u32(Rtnetlink.IFLA_MTU, 0),
                p.getInt(offset(Rtnetlink.IFINFOMSG, "ifi_flags")),
                attrs.u32(Rtnetlink.IFLA_MASTER, 0),
                mac == null || mac.length == 0 ? null : HexFormat.ofDelimiter(":").formatHex(mac),
                attrs.u32(Rtnetlink.IFLA_GSO_IPV4_MAX_SIZE, 0));
    }

    private static Address parseAddress(ByteBuffer p) {
        RtAttributes attrs = RtAttributes.parse(p, IFADDRMSG);
        byte[] raw = attrs.has(Rtnetlink.IFA_LOCAL) ? attrs.bytes(Rtnetlink.IFA_LOCAL) : attrs.bytes(Rtnetlink.IFA_ADDRESS);
        byte[] broadcast = attrs.bytes(Rtnetlink.IFA_BROADCAST);
        try {
            return new Address(
                    p.getInt(offset(Rtnetlink.IFADDRMSG, "ifa_index")),
                    InetAddress.getByAddress(raw),
                    Byte.toUnsignedInt(p.get(offset(Rtnetlink.IFADDRMSG, "ifa_prefixlen"))),
                    Byte.toUnsignedInt(p.get(offset(Rtnetlink.IFADDRMSG, "ifa_scope"))),
                    broadcast == null ? null : InetAddress.getByAddress(broadcast),
                    attrs.string(Rtnetlink.IFA_LABEL));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel sent a " + raw.length + "-byte address", e);
        }
    }

    private static int family(InetAddress address) {
        return address instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    /** The IPv4 broadcast address of the subnet: the address with every host bit set. */
    private static byte[] broadcast(InetAddress address, int prefixLength) {
        byte[] b = address.getAddress();
        for (int bit = prefixLength; bit < 32; bit++) {
            b[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return b;
    }
}
