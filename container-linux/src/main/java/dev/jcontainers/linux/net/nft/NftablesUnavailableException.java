package dev.jcontainers.linux.net.nft;

import dev.jcontainers.linux.ffm.Nftables;

/** Port publishing and outbound NAT need libnftables, which this machine lacks. */
public final class NftablesUnavailableException extends NftException {
    NftablesUnavailableException() {
        super(Nftables.LIBRARY + " not found: port publishing and outbound NAT need libnftables "
                + "(Debian/Ubuntu: apt-get install libnftables1, or nftables); or open the engine without NAT "
                + "(EngineOptions nat(false)) to have bridge networks without outbound access or published ports");
    }
}
