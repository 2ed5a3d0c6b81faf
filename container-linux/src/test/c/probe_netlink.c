/* Layouts and constants the NetlinkSocket binding uses (see src/main/ffm/netlink.txt). */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "probe.h"

int main(void) {
    SIZEOF(sockaddr_nl);
    OFFSETOF(sockaddr_nl, nl_family); OFFSETOF(sockaddr_nl, nl_pad);
    OFFSETOF(sockaddr_nl, nl_pid); OFFSETOF(sockaddr_nl, nl_groups);
    SIZEOF(nlmsghdr);
    OFFSETOF(nlmsghdr, nlmsg_len); OFFSETOF(nlmsghdr, nlmsg_type); OFFSETOF(nlmsghdr, nlmsg_flags);
    OFFSETOF(nlmsghdr, nlmsg_seq); OFFSETOF(nlmsghdr, nlmsg_pid);
    SIZEOF(nlmsgerr);
    OFFSETOF(nlmsgerr, error); OFFSETOF(nlmsgerr, msg);

    CONSTANT(AF_UNSPEC); CONSTANT(AF_INET); CONSTANT(AF_INET6); CONSTANT(AF_NETLINK);
    CONSTANT(SOCK_RAW); CONSTANT(SOCK_CLOEXEC); CONSTANT(MSG_TRUNC);
    CONSTANT(NETLINK_ROUTE); CONSTANT(SOL_NETLINK); CONSTANT(NETLINK_CAP_ACK); CONSTANT(NETLINK_EXT_ACK);
    CONSTANT(NLM_F_REQUEST); CONSTANT(NLM_F_MULTI); CONSTANT(NLM_F_ACK); CONSTANT(NLM_F_DUMP_INTR);
    CONSTANT(NLM_F_ROOT); CONSTANT(NLM_F_MATCH); CONSTANT(NLM_F_DUMP); CONSTANT(NLM_F_EXCL);
    CONSTANT(NLM_F_CREATE); CONSTANT(NLM_F_CAPPED); CONSTANT(NLM_F_ACK_TLVS);
    CONSTANT(NLMSG_NOOP); CONSTANT(NLMSG_ERROR); CONSTANT(NLMSG_DONE); CONSTANT(NLMSG_OVERRUN);
    CONSTANT(NLMSG_ALIGNTO);
    CONSTANT(NLMSGERR_ATTR_MSG); CONSTANT(NLMSGERR_ATTR_OFFS);
    CONSTANT(NLA_F_NESTED); CONSTANT(NLA_TYPE_MASK);
    CONSTANT(ENODEV); CONSTANT(ERANGE); CONSTANT(ENOBUFS); CONSTANT(EAFNOSUPPORT);
    CONSTANT(EADDRNOTAVAIL); CONSTANT(ENETUNREACH);
    return 0;
}
