package dev.jcontainers.linux.ffm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The netlink bindings against the C headers, with the same checks {@link FfmLayoutTest} runs. */
class NetLayoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "probe_netlink.c, dev.jcontainers.linux.ffm.NetlinkSocket",
            "probe_rtnetlink.c, dev.jcontainers.linux.ffm.Rtnetlink"})
    void netlinkBindingsMatchTheCHeaders(String probe, String bindingClass) throws Exception {
        new FfmLayoutTest().javaBindingsMatchTheCHeaders(probe, bindingClass);
    }
}
