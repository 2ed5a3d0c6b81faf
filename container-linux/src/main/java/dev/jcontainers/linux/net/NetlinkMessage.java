package dev.jcontainers.linux.net;

import static dev.jcontainers.linux.ffm.Rtnetlink.offset;

import dev.jcontainers.linux.ffm.NetlinkSocket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One received netlink message: its header fields and the payload after the {@code nlmsghdr}. */
record NetlinkMessage(int type, int flags, int seq, int portId, ByteBuffer payload) {
    private static final int HEADER = (int) NetlinkSocket.NLMSGHDR.byteSize();

    /** Splits a received datagram into its messages. */
    static List<NetlinkMessage> parseAll(ByteBuffer datagram) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int at = in.position();
        while (in.limit() - at >= HEADER) {
            int length = in.getInt(at + offset(NetlinkSocket.NLMSGHDR, "nlmsg_len"));
            if (length < HEADER || length > in.limit() - at) {
                throw new IllegalStateException("malformed netlink message: length " + length + " at " + at
                        + " of a " + in.limit() + "-byte datagram");
            }
            messages.add(new NetlinkMessage(
                    Short.toUnsignedInt(in.getShort(at + offset(NetlinkSocket.NLMSGHDR, "nlmsg_type"))),
                    Short.toUnsignedInt(in.getShort(at + offset(NetlinkSocket.NLMSGHDR, "nlmsg_flags"))),
                    in.getInt(at + offset(NetlinkSocket.NLMSGHDR, "nlmsg_seq")),
                    in.getInt(at + offset(NetlinkSocket.NLMSGHDR, "nlmsg_pid")),
                    in.slice(at + HEADER, length - HEADER).order(ByteOrder.nativeOrder())));
            at += NetlinkRequest.align(length);
        }
        return messages;
    }
}
