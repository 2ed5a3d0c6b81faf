package dev.jcontainers.api;

import java.util.Map;

/**
 * What {@code docker network create} takes.
 *
 * @param driver  {@code bridge} (null means bridge) or {@code macvlan}: containers get a macvlan link on the
 *                host interface named by option {@code parent}, in bridge mode, so they reach each other and
 *                the parent's network but not the host through that interface; a macvlan network needs a
 *                {@code subnet}
 * @param subnet  CIDR, IPv4; null picks a free one (bridge only)
 * @param gateway null is the subnet's first address
 * @param options the driver's {@code -o KEY=VALUE}: macvlan's {@code parent}; bridge's
 *                {@code com.docker.network.driver.mtu} (default 1500)
 */
public record NetworkSpec(String name, String driver, String subnet, String gateway, boolean internal,
                          Map<String, String> options) {
    public static final String BRIDGE = "bridge";
    public static final String MACVLAN = "macvlan";

    public NetworkSpec {
        driver = driver == null ? BRIDGE : driver;
        options = options == null ? Map.of() : Map.copyOf(options);
        if (!driver.equals(BRIDGE) && !driver.equals(MACVLAN)) {
            throw new IllegalArgumentException("unknown network driver \"" + driver + "\": use bridge or macvlan");
        }
        if (driver.equals(MACVLAN) && (options.get("parent") == null || options.get("parent").isBlank())) {
            throw new IllegalArgumentException("a macvlan network needs a parent interface: -o parent=IF");
        }
        if (driver.equals(MACVLAN) && subnet == null) {
            throw new IllegalArgumentException("a macvlan network needs a --subnet");
        }
    }

    public static NetworkSpec bridge(String name) {
        return new NetworkSpec(name, BRIDGE, null, null, false, Map.of());
    }

    public static NetworkSpec macvlan(String name, String parent, String subnet) {
        return new NetworkSpec(name, MACVLAN, subnet, null, false, Map.of("parent", parent));
    }
}
