package dev.jcontainers.linux.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code linux/rtnetlink.h}, {@code linux/if_link.h}, {@code linux/if_addr.h}, {@code linux/veth.h},
 * {@code linux/if.h}: the message types, fixed headers and attribute numbers of the NETLINK_ROUTE family
 * for links, addresses and routes. No functions: messages travel over {@link NetlinkSocket}. Headers and
 * symbols in {@code src/main/ffm/rtnetlink.txt}; layouts and constants checked by {@code NetLayoutTest}.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    // message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    // link attributes (IFLA_*), nested link info and the veth peer
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_GSO_IPV4_MAX_SIZE = 63; // Linux 6.3; older kernels ignore it
    public static final int IFLA_GRO_IPV4_MAX_SIZE = 64;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int VETH_INFO_PEER = 1;
    public static final int IFLA_MACVLAN_MODE = 1;
    public static final int MACVLAN_MODE_BRIDGE = 4;

    // address attributes (IFA_*) and flags
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_F_NODAD = 0x02;

    // route attributes (RTA_*) and rtmsg field values
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RTN_UNICAST = 1;

    // net_device_flags (linux/if.h)
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;

    /** {@code struct ifinfomsg}: 16 bytes, the fixed header of RTM_*LINK. */
    public static final StructLayout IFINFOMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("ifi_family"),
            ValueLayout.JAVA_BYTE.withName("__ifi_pad"),
            ValueLayout.JAVA_SHORT.withName("ifi_type"),
            ValueLayout.JAVA_INT.withName("ifi_index"),
            ValueLayout.JAVA_INT.withName("ifi_flags"),
            ValueLayout.JAVA_INT.withName("ifi_change")).withName("ifinfomsg");

    /** {@code struct ifaddrmsg}: 8 bytes, the fixed header of RTM_*ADDR. */
    public static final StructLayout IFADDRMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("ifa_family"),
            ValueLayout.JAVA_BYTE.withName("ifa_prefixlen"),
            ValueLayout.JAVA_BYTE.withName("ifa_flags"),
            ValueLayout.JAVA_BYTE.withName("ifa_scope"),
            ValueLayout.JAVA_INT.withName("ifa_index")).withName("ifaddrmsg");

    /** {@code struct rtmsg}: 12 bytes, the fixed header of RTM_*ROUTE. */
    public static final StructLayout RTMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("rtm_family"),
            ValueLayout.JAVA_BYTE.withName("rtm_dst_len"),
            ValueLayout.JAVA_BYTE.withName("rtm_src_len"),
            ValueLayout.JAVA_BYTE.withName("rtm_tos"),
            ValueLayout.JAVA_BYTE.withName("rtm_table"),
            ValueLayout.JAVA_BYTE.withName("rtm_protocol"),
            ValueLayout.JAVA_BYTE.withName("rtm_scope"),
            ValueLayout.JAVA_BYTE.withName("rtm_type"),
            ValueLayout.JAVA_INT.withName("rtm_flags")).withName("rtmsg");

    /** {@code struct rtattr}: 4 bytes of length and type in front of every attribute (same as nlattr). */
    public static final StructLayout RTATTR = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("rta_len"),
            ValueLayout.JAVA_SHORT.withName("rta_type")).withName("rtattr");

    /** Byte offset of a field of one of the structs above, for code that fills messages in byte buffers. */
    public static int offset(StructLayout struct, String field) {
        return (int) struct.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
