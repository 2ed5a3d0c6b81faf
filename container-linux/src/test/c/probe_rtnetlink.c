/* Layouts and constants the Rtnetlink binding uses (see src/main/ffm/rtnetlink.txt). */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <linux/version.h>
#include "probe.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
/* Headers older than the kernel: the IFLA enum is append-only ABI and 6.3 appended, after IFLA_ALLMULTI,
 * IFLA_DEVLINK_PORT, IFLA_GSO_IPV4_MAX_SIZE and IFLA_GRO_IPV4_MAX_SIZE. */
#define IFLA_GSO_IPV4_MAX_SIZE (IFLA_ALLMULTI + 2)
#define IFLA_GRO_IPV4_MAX_SIZE (IFLA_ALLMULTI + 3)
#endif

int main(void) {
    SIZEOF(ifinfomsg);
    OFFSETOF(ifinfomsg, ifi_family); OFFSETOF(ifinfomsg, __ifi_pad); OFFSETOF(ifinfomsg, ifi_type);
    OFFSETOF(ifinfomsg, ifi_index); OFFSETOF(ifinfomsg, ifi_flags); OFFSETOF(ifinfomsg, ifi_change);
    SIZEOF(ifaddrmsg);
    OFFSETOF(ifaddrmsg, ifa_family); OFFSETOF(ifaddrmsg, ifa_prefixlen); OFFSETOF(ifaddrmsg, ifa_flags);
    OFFSETOF(ifaddrmsg, ifa_scope); OFFSETOF(ifaddrmsg, ifa_index);
    SIZEOF(rtmsg);
    OFFSETOF(rtmsg, rtm_family); OFFSETOF(rtmsg, rtm_dst_len); OFFSETOF(rtmsg, rtm_src_len);
    OFFSETOF(rtmsg, rtm_tos); OFFSETOF(rtmsg, rtm_table); OFFSETOF(rtmsg, rtm_protocol);
    OFFSETOF(rtmsg, rtm_scope); OFFSETOF(rtmsg, rtm_type); OFFSETOF(rtmsg, rtm_flags);
    SIZEOF(rtattr);
    OFFSETOF(rtattr, rta_len); OFFSETOF(rtattr, rta_type);

    CONSTANT(RTM_NEWLINK); CONSTANT(RTM_DELLINK); CONSTANT(RTM_GETLINK);
    CONSTANT(RTM_NEWADDR); CONSTANT(RTM_DELADDR); CONSTANT(RTM_GETADDR);
    CONSTANT(RTM_NEWROUTE); CONSTANT(RTM_DELROUTE); CONSTANT(RTM_GETROUTE);
    CONSTANT(IFLA_ADDRESS); CONSTANT(IFLA_BROADCAST); CONSTANT(IFLA_IFNAME); CONSTANT(IFLA_MTU);
    CONSTANT(IFLA_LINK); CONSTANT(IFLA_MASTER); CONSTANT(IFLA_OPERSTATE); CONSTANT(IFLA_LINKINFO);
    CONSTANT(IFLA_NET_NS_PID); CONSTANT(IFLA_NET_NS_FD);
    CONSTANT(IFLA_GSO_IPV4_MAX_SIZE); CONSTANT(IFLA_GRO_IPV4_MAX_SIZE);
    CONSTANT(IFLA_INFO_KIND); CONSTANT(IFLA_INFO_DATA); CONSTANT(VETH_INFO_PEER);
    CONSTANT(IFLA_MACVLAN_MODE); CONSTANT(MACVLAN_MODE_BRIDGE);
    CONSTANT(IFA_ADDRESS); CONSTANT(IFA_LOCAL); CONSTANT(IFA_LABEL); CONSTANT(IFA_BROADCAST);
    CONSTANT(IFA_F_NODAD);
    CONSTANT(RTA_DST); CONSTANT(RTA_OIF); CONSTANT(RTA_GATEWAY); CONSTANT(RTA_TABLE);
    CONSTANT(RT_TABLE_MAIN); CONSTANT(RTPROT_BOOT); CONSTANT(RTPROT_STATIC);
    CONSTANT(RT_SCOPE_UNIVERSE); CONSTANT(RT_SCOPE_LINK); CONSTANT(RT_SCOPE_HOST); CONSTANT(RTN_UNICAST);
    CONSTANT(IFF_UP); CONSTANT(IFF_BROADCAST); CONSTANT(IFF_LOOPBACK); CONSTANT(IFF_RUNNING);
    CONSTANT(IFF_LOWER_UP);
    return 0;
}
