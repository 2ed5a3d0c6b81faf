package dev.jcontainers.linux.net;

import static dev.jcontainers.linux.ffm.Rtnetlink.offset;

import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.ffm.Rtnetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The attributes (rtattr/nlattr TLVs) of a message region, by type with the nested/byte-order bits cleared. */
final class RtAttributes {
    private static final int ATTR_HEADER = (int) Rtnetlink.RTATTR.byteSize();

    private final Map<Integer, ByteBuffer> values = new HashMap<>();

    private RtAttributes() {
    }

    /** Parses the attributes that start {@code from} bytes into {@code region} and run to its end. */
    static RtAttributes parse(ByteBuffer region, int from) {
        RtAttributes attrs = new RtAttributes();
        int at = from;
        while (region.limit() - at >= ATTR_HEADER) {
            int length = Short.toUnsignedInt(region.getShort(at + offset(Rtnetlink.RTATTR, "rta_len")));
            int type = Short.toUnsignedInt(region.getShort(at + offset(Rtnetlink.RTATTR, "rta_type")))
                    & NetlinkSocket.NLA_TYPE_MASK;
            if (length < ATTR_HEADER || length > region.limit() - at) {
                break; // a truncated tail (e.g. a capped echo); what came before is intact
            }
            attrs.values.putIfAbsent(type,
                    region.slice(at + ATTR_HEADER, length - ATTR_HEADER).order(ByteOrder.nativeOrder()));
            at += NetlinkRequest.align(length);
        }
        return attrs;
    }

    boolean has(int type) {
        return values.containsKey(type);
    }

    byte[] bytes(int type) {
        ByteBuffer v = values.get(type);
        if (v == null) {
            return null;
        }
        byte[] out = new byte[v.remaining()];
        v.get(0, out);
        return out;
    }

    /** A NUL-terminated string attribute, or null when absent. */
    String string(int type) {
        byte[] b = bytes(type);
        if (b == null) {
            return null;
        }
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    int u32(int type, int absent) {
        ByteBuffer v = values.get(type);
        return v == null || v.remaining() < 4 ? absent : v.getInt(0);
    }

    /** The attributes nested inside attribute {@code type}, or an empty set when absent. */
    RtAttributes nested(int type) {
        ByteBuffer v = values.get(type);
        return v == null ? new RtAttributes() : parse(v, 0);
    }
}
