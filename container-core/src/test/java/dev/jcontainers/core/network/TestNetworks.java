package dev.jcontainers.core.network;

import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.net.Link;
import dev.jcontainers.linux.net.NetlinkSession;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The network tests' cleanup once their engine has closed (see {@code @RuntimeTest.AfterClose}), and their look at bridges. */
final class TestNetworks {
    private TestNetworks() {
    }

    /** Removes every network the engine made; the default one ("bridge") stays. */
    static void removeAll(LocalEngine engine) {
        for (NetworkInfo n : engine.networks().list()) {
            if (!n.name().equals("bridge")) {
                engine.networks().remove(n.name());
            }
        }
    }

    /** Removes the networks, checks their bridges went with them, and deletes any left, also on failure. */
    static void removeAll(LocalEngine engine, List<String> bridges) {
        try {
            removeAll(engine);
            try (NetlinkSession host = NetlinkSession.open()) {
                List<String> left = host.listLinks().stream().map(Link::name).filter(bridges::contains).toList();
                assertThat(left).as("bridges left behind").isEmpty(); // also when no test made one
            }
        } finally {
            try (NetlinkSession host = NetlinkSession.open()) {
                for (String bridge : bridges) {
                    if (host.findLink(bridge).isPresent()) {
                        host.deleteLink(bridge);
                    }
                }
            }
        }
    }

    /** The links plugged into a bridge in the host's namespace. */
    static List<String> portsOf(String bridge) {
        try (NetlinkSession host = NetlinkSession.open()) {
            int index = host.linkIndex(bridge);
            return host.listLinks().stream().filter(l -> l.masterIndex() == index).map(Link::name).toList();
        }
    }
}
