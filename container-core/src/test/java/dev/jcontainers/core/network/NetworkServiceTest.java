package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.NetworkInUseException;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.NetworkNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Network records and address bookkeeping; nothing here touches the kernel beyond reading its addresses. */
class NetworkServiceTest {
    @TempDir
    Path root;

    @Test
    void theDefaultNetworkExistsFromTheFirstUseAndCannotBeRemoved() {
        NetworkService networks = new NetworkService(root);
        assertThat(networks.list()).extracting(NetworkInfo::name).containsExactly("bridge");
        NetworkInfo bridge = networks.inspect("bridge");
        assertThat(bridge.bridge()).isEqualTo("jc0");
        assertThat(bridge.subnet()).isEqualTo("10.77.0.0/16");
        assertThat(bridge.gateway()).isEqualTo("10.77.0.1");
        assertThatThrownBy(() -> networks.remove("bridge")).hasMessageContaining("pre-defined");
        assertThat(networks.prune()).isEmpty();
    }

    @Test
    void userNetworksArePersistedAsJsonAndFoundByNameOrIdPrefix() {
        NetworkService networks = new NetworkService(root);
        NetworkInfo created = networks.create("backend", "10.201.3.0/24", null, true);
        assertThat(created.gateway()).isEqualTo("10.201.3.1");
        assertThat(created.internal()).isTrue();
        assertThat(created.bridge()).isEqualTo("br-" + created.id().substring(0, 12)).hasSizeLessThanOrEqualTo(15);
        assertThat(root.resolve("networks/backend.json")).exists();

        NetworkService other = new NetworkService(root);
        assertThat(other.inspect(created.id().substring(0, 10))).isEqualTo(created);
        assertThat(other.list()).extracting(NetworkInfo::name).containsExactly("backend", "bridge");
        assertThatThrownBy(() -> other.inspect("nope")).isInstanceOf(NetworkNotFoundException.class);
        assertThatThrownBy(() -> other.create("backend", "10.201.4.0/24", null, false))
                .hasMessageContaining("already exists");
    }

    @Test
    void overlappingSubnetsAndBadGatewaysAreRefused() {
        NetworkService networks = new NetworkService(root);
        networks.create("a", "10.201.0.0/16", "10.201.0.254", false);
        assertThatThrownBy(() -> networks.create("b", "10.201.9.0/24", null, false))
                .hasMessageContaining("overlaps network a");
        assertThatThrownBy(() -> networks.create("c", "10.77.128.0/20", null, false))
                .hasMessageContaining("overlaps network bridge");
        assertThatThrownBy(() -> networks.create("d", "10.202.0.0/24", "10.203.0.1", false))
                .hasMessageContaining("not a host address");
        assertThatThrownBy(() -> networks.create("host", null, null, false)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> networks.create("bad name", null, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(networks.list()).extracting(NetworkInfo::name).containsExactly("a", "bridge");
    }

    @Test
    void subnetsOfTheHostsOwnNetworksAreRefused() {
        NetworkService networks = new NetworkService(root);
        assertThatThrownBy(() -> networks.create("lo-clash", "127.0.0.0/16", null, false))
                .hasMessageContaining("overlaps a network of the host").hasMessageContaining("127.0.0.1/8 on lo");
    }

    @Test
    void automaticSubnetsDoNotOverlap() {
        NetworkService networks = new NetworkService(root);
        List<Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subnets.add(Subnet.parse(networks.create("auto" + i, null, null, false).subnet()));
        }
        subnets.add(NetworkService.DEFAULT_SUBNET);
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                assertThat(subnets.get(i).overlaps(subnets.get(j))).as(subnets.get(i) + " vs " + subnets.get(j)).isFalse();
            }
        }
    }

    @Test
    void aNetworkInUseIsNotRemovedAndItsAddressesComeBackOnLeave() {
        NetworkService networks = new NetworkService(root);
        networks.create("app", "10.201.5.0/29", null, false);
        networks.join("c1", "one", "h1", NetworkMode.bridge("app"));
        networks.join("c2", "two", "h2", NetworkMode.bridge("app"));
        assertThat(networks.addressOf("c1")).hasValue("10.201.5.2");
        assertThat(networks.addressOf("c2")).hasValue("10.201.5.3");
        assertThat(networks.inspect("app").endpoints()).extracting(NetworkInfo.Endpoint::containerName)
                .containsExactly("one", "two");

        assertThatThrownBy(() -> networks.remove("app")).isInstanceOf(NetworkInUseException.class)
                .hasMessageContaining("one, two");
        assertThat(networks.prune()).isEmpty();

        networks.leave("c1");
        networks.join("c3", "three", "h3", NetworkMode.bridge("app"));
        assertThat(networks.addressOf("c3")).hasValue("10.201.5.2");
        networks.leave("c2");
        networks.leave("c3");
        networks.leave("c3"); // idempotent
        assertThat(networks.prune()).containsExactly("app");
        assertThat(Files.exists(root.resolve("networks/app.json"))).isFalse();
    }

    @Test
    void joiningAMissingNetworkOrAFullOneFails() {
        NetworkService networks = new NetworkService(root);
        assertThatThrownBy(() -> networks.join("c", "c", "c", NetworkMode.bridge("missing")))
                .isInstanceOf(NetworkNotFoundException.class);
        networks.create("tiny", "10.201.6.0/30", null, false); // .1 gateway, .2 the only container address
        networks.join("c1", "c1", "c1", NetworkMode.bridge("tiny"));
        assertThatThrownBy(() -> networks.join("c2", "c2", "c2", NetworkMode.bridge("tiny")))
                .isInstanceOf(ContainerException.class).hasMessageContaining("no available IPv4 addresses");
    }

    @Test
    void concurrentJoinsFromSeveralServicesOnOneRootGetDistinctAddresses() throws Exception {
        new NetworkService(root).create("busy", "10.201.7.0/24", null, false);
        List<NetworkService> services = List.of(new NetworkService(root), new NetworkService(root), new NetworkService(root));
        Set<String> addresses = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                NetworkService s = services.get(i % services.size());
                jobs.add(pool.submit(() -> {
                    s.join("c" + n, "n" + n, "h" + n, NetworkMode.bridge("busy"));
                    addresses.add(s.addressOf("c" + n).orElseThrow());
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
        assertThat(addresses).hasSize(60);
        assertThat(new NetworkService(root).inspect("busy").endpoints()).hasSize(60);
    }
}
