package dev.jcontainers.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.ffm.Rtnetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Building and parsing netlink messages, without a kernel: what is written is read back the same. */
class NetlinkMessageTest {

    @Test
    void aVethRequestWithNestedPeerRoundTrips() {
        NetlinkRequest r = new NetlinkRequest(Rtnetlink.RTM_NEWLINK, NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_ACK)
                .ifinfomsg(NetlinkSocket.AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, "jcveth0");
        int info = r.beginNested(Rtnetlink.IFLA_LINKINFO);
        r.attr(Rtnetlink.IFLA_INFO_KIND, "veth");
        int data = r.beginNested(Rtnetlink.IFLA_INFO_DATA);
        int peer = r.beginNested(Rtnetlink.VETH_INFO_PEER);
        r.ifinfomsg(NetlinkSocket.AF_UNSPEC, 0, 0, 0).attr(Rtnetlink.IFLA_IFNAME, "eth0").attrInt(Rtnetlink.IFLA_NET_NS_FD, 7);
        r.endNested(peer).endNested(data).endNested(info);

        byte[] bytes = r.finish(42, 1234);
        assertThat(bytes.length % NetlinkSocket.NLMSG_ALIGNTO).isZero();
        List<NetlinkMessage> parsed = NetlinkMessage.parseAll(ByteBuffer.wrap(bytes));
        assertThat(parsed).hasSize(1);
        NetlinkMessage m = parsed.getFirst();
        assertThat(m.type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
        assertThat(m.flags()).isEqualTo(NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_ACK);
        assertThat(m.seq()).isEqualTo(42);
        assertThat(m.portId()).isEqualTo(1234);

        int ifinfo = (int) Rtnetlink.IFINFOMSG.byteSize();
        RtAttributes attrs = RtAttributes.parse(m.payload(), ifinfo);
        assertThat(attrs.string(Rtnetlink.IFLA_IFNAME)).isEqualTo("jcveth0");
        RtAttributes linkInfo = attrs.nested(Rtnetlink.IFLA_LINKINFO);
        assertThat(linkInfo.string(Rtnetlink.IFLA_INFO_KIND)).isEqualTo("veth");
        ByteBuffer peerBody = ByteBuffer.wrap(linkInfo.nested(Rtnetlink.IFLA_INFO_DATA).bytes(Rtnetlink.VETH_INFO_PEER))
                .order(ByteOrder.nativeOrder());
        RtAttributes peerAttrs = RtAttributes.parse(peerBody, ifinfo);
        assertThat(peerAttrs.string(Rtnetlink.IFLA_IFNAME)).isEqualTo("eth0");
        assertThat(peerAttrs.u32(Rtnetlink.IFLA_NET_NS_FD, -1)).isEqualTo(7);
    }

    @Test
    void aDatagramOfSeveralMessagesIsSplitAtAlignedBoundaries() {
        byte[] first = new NetlinkRequest(Rtnetlink.RTM_NEWLINK, 0).attr(Rtnetlink.IFLA_IFNAME, "a").finish(1, 0);
        byte[] second = new NetlinkRequest(NetlinkSocket.NLMSG_DONE, NetlinkSocket.NLM_F_MULTI).attrInt(1, 0).finish(1, 0);
        ByteBuffer datagram = ByteBuffer.allocate(first.length + second.length).put(first).put(second).flip();
        assertThat(NetlinkMessage.parseAll(datagram)).extracting(NetlinkMessage::type)
                .containsExactly(Rtnetlink.RTM_NEWLINK, NetlinkSocket.NLMSG_DONE);
    }

    @Test
    void aMessageLongerThanItsDatagramIsRejected() {
        byte[] bytes = new NetlinkRequest(Rtnetlink.RTM_NEWLINK, 0).attr(Rtnetlink.IFLA_IFNAME, "jcbr0").finish(1, 0);
        ByteBuffer cut = ByteBuffer.wrap(bytes, 0, bytes.length - 4).slice();
        assertThatThrownBy(() -> NetlinkMessage.parseAll(cut)).hasMessageContaining("malformed netlink message");
    }

    @Test
    void nestedAndByteOrderBitsAreMaskedOffAttributeTypes() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putShort((short) 8).putShort((short) (Rtnetlink.IFLA_MTU | NetlinkSocket.NLA_F_NESTED)).putInt(1400).flip();
        assertThat(RtAttributes.parse(b, 0).u32(Rtnetlink.IFLA_MTU, 0)).isEqualTo(1400);
    }

    @Test
    void largeRequestsGrowTheirBuffer() {
        NetlinkRequest r = new NetlinkRequest(Rtnetlink.RTM_NEWLINK, 0);
        for (int i = 0; i < 100; i++) {
            r.attr(Rtnetlink.IFLA_IFNAME, "link" + i);
        }
        NetlinkMessage m = NetlinkMessage.parseAll(ByteBuffer.wrap(r.finish(1, 0))).getFirst();
        assertThat(RtAttributes.parse(m.payload(), 0).string(Rtnetlink.IFLA_IFNAME)).isEqualTo("link0");
        assertThat(m.payload().remaining()).isEqualTo(100 * 12);
    }
}
