package dev.jcontainers.oci.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a registry's API lives. {@code docker.io} is a name, not a host: its API is at
 * {@code registry-1.docker.io}. HTTPS always, except that loopback registries and those the user
 * declared insecure may fall back to plain HTTP when they do not speak TLS (as Docker does).
 */
record RegistryEndpoint(String registry, URI base) {
    static final String DOCKER_HUB = "docker.io";
    private static final String DOCKER_HUB_API = "registry-1.docker.io";
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    static RegistryEndpoint of(String registry, Set<String> insecure) {
        if (registry == null || registry.isBlank() || registry.contains("/") || registry.contains("@")) {
            throw new IllegalArgumentException("registry must be host[:port], got \"" + registry + "\"");
        }
        String name = registry.toLowerCase(Locale.ROOT);
        String authority = name.equals(DOCKER_HUB) || name.equals("index.docker.io") ? DOCKER_HUB_API : name;
        boolean plain = mayUsePlainHttp(registry, insecure);
        return new RegistryEndpoint(registry, URI.create((plain ? "http://" : "https://") + authority + "/"));
    }

    /** True for loopback registries and those declared insecure. */
    static boolean mayUsePlainHttp(String registry, Set<String> insecure) {
        String name = registry.toLowerCase(Locale.ROOT);
        return isLoopback(hostOf(name)) || insecure.contains(registry) || insecure.contains(name);
    }

    /** The same registry over HTTPS. */
    RegistryEndpoint overHttps() {
        return new RegistryEndpoint(registry, URI.create("https://" + base.getRawAuthority() + "/"));
    }

    /** The URI of an API path below {@code /v2/}, e.g. {@code library/busybox/manifests/latest}. */
    URI api(String path) {
        return base.resolve("/v2/" + path);
    }

    /** The host part of {@code host[:port]}, keeping the brackets of an IPv6 literal. */
    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority : authority.substring(0, close + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || IPV4_LOOPBACK.matcher(h).matches();
    }
}
