package dev.jcontainers.linux.net;

import static dev.jcontainers.linux.ffm.Rtnetlink.offset;

import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.ffm.Rtnetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One netlink message under construction: the {@code nlmsghdr}, a fixed family header (ifinfomsg,
 * ifaddrmsg, rtmsg) and attributes, nested ones included, each padded to NLMSG_ALIGNTO, in host byte
 * order. The header is written last, by {@link #finish}, when the length and sequence number are known.
 */
final class NetlinkRequest {
    private static final int HEADER = (int) NetlinkSocket.NLMSGHDR.byteSize();
    private static final int ATTR_HEADER = (int) Rtnetlink.RTATTR.byteSize();

    private final int type;
    private final int flags;
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    NetlinkRequest(int type, int flags) {
        this.type = type;
        this.flags = flags;
        buf.position(HEADER);
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    /** Appends a {@code struct ifinfomsg}. */
    NetlinkRequest ifinfomsg(int family, int index, int ifFlags, int change) {
        int at = reserve((int) Rtnetlink.IFINFOMSG.byteSize());
        buf.put(at + offset(Rtnetlink.IFINFOMSG, "ifi_family"), (byte) family);
        buf.putInt(at + offset(Rtnetlink.IFINFOMSG, "ifi_index"), index);
        buf.putInt(at + offset(Rtnetlink.IFINFOMSG, "ifi_flags"), ifFlags);
        buf.putInt(at + offset(Rtnetlink.IFINFOMSG, "ifi_change"), change);
        return this;
    }

    /** Appends a {@code struct ifaddrmsg}. */
    NetlinkRequest ifaddrmsg(int family, int prefixLength, int addrFlags, int scope, int index) {
        int at = reserve((int) Rtnetlink.IFADDRMSG.byteSize());
        buf.put(at + offset(Rtnetlink.IFADDRMSG, "ifa_family"), (byte) family);
        buf.put(at + offset(Rtnetlink.IFADDRMSG, "ifa_prefixlen"), (byte) prefixLength);
        buf.put(at + offset(Rtnetlink.IFADDRMSG, "ifa_flags"), (byte) addrFlags);
        buf.put(at + offset(Rtnetlink.IFADDRMSG, "ifa_scope"), (byte) scope);
        buf.putInt(at + offset(Rtnetlink.IFADDRMSG, "ifa_index"), index);
        return this;
    }

    /** Appends a {@code struct rtmsg} (no source prefix, TOS 0, no flags). */
    NetlinkRequest rtmsg(int family, int dstLength, int table, int protocol, int scope, int routeType) {
        int at = reserve((int) Rtnetlink.RTMSG.byteSize());
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_family"), (byte) family);
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_dst_len"), (byte) dstLength);
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_table"), (byte) table);
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_protocol"), (byte) protocol);
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_scope"), (byte) scope);
        buf.put(at + offset(Rtnetlink.RTMSG, "rtm_type"), (byte) routeType);
        return this;
    }

    NetlinkRequest attr(int attrType, byte[] value) {
        int at = reserve(ATTR_HEADER + value.length);
        buf.putShort(at + offset(Rtnetlink.RTATTR, "rta_len"), (short) (ATTR_HEADER + value.length));
        buf.putShort(at + offset(Rtnetlink.RTATTR, "rta_type"), (short) attrType);
        buf.put(at + ATTR_HEADER, value);
        return this;
    }

    /** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND). */
    NetlinkRequest attr(int attrType, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(bytes, bytes.length + 1));
    }

    NetlinkRequest attrInt(int attrType, int value) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** Opens a nested attribute; everything appended until {@link #endNested} goes inside it. */
    int beginNested(int attrType) {
        int at = reserve(ATTR_HEADER);
        buf.putShort(at + offset(Rtnetlink.RTATTR, "rta_type"), (short) attrType);
        return at;
    }

    NetlinkRequest endNested(int start) {
        buf.putShort(start + offset(Rtnetlink.RTATTR, "rta_len"), (short) (buf.position() - start));
        return this;
    }

    /** The complete message with its header filled in. */
    byte[] finish(int seq, int portId) {
        int length = buf.position();
        buf.putInt(offset(NetlinkSocket.NLMSGHDR, "nlmsg_len"), length);
        buf.putShort(offset(NetlinkSocket.NLMSGHDR, "nlmsg_type"), (short) type);
        buf.putShort(offset(NetlinkSocket.NLMSGHDR, "nlmsg_flags"), (short) flags);
        buf.putInt(offset(NetlinkSocket.NLMSGHDR, "nlmsg_seq"), seq);
        buf.putInt(offset(NetlinkSocket.NLMSGHDR, "nlmsg_pid"), portId);
        return Arrays.copyOf(buf.array(), length);
    }

    /** Zeroed room for {@code size} bytes, padded to alignment; returns where it starts. */
    private int reserve(int size) {
        int at = buf.position();
        int padded = align(size);
        if (buf.remaining() < padded) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, at + padded))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buf.array(), 0, at);
            buf = bigger;
        }
        buf.put(at, new byte[padded]);
        buf.position(at + padded);
        return at;
    }

    static int align(int length) {
        int a = NetlinkSocket.NLMSG_ALIGNTO;
        return (length + a - 1) & -a;
    }
}
