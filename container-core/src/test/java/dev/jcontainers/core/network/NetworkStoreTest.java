package dev.jcontainers.core.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Records on disk, and the wiring of running containers kept apart from them as empty marker files. */
class NetworkStoreTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @TempDir
    Path root;

    private static NetworkRecord network(Map<String, NetworkRecord.Endpoint> endpoints) {
        return new NetworkRecord("f".repeat(64), "net", "br-ffffffffffff", "10.213.9.0/24", "10.213.9.1", true,
                "2026-11-28T00:00:00Z", endpoints);
    }

    private static NetworkRecord.Endpoint endpoint(String name, String ip, String veth) {
        return new NetworkRecord.Endpoint(name, name, ip, veth, "eth0", List.of());
    }

    private Path wiring() {
        return root.resolve("networks/.wiring/net");
    }

    @Test
    void theWiringLivesInMarkerFilesAndIsMergedIntoTheRecordsRead() throws Exception {
        NetworkStore store = new NetworkStore(root.resolve("networks"));
        store.save(network(Map.of(A, endpoint("a", "10.213.9.2", null), B, endpoint("b", "10.213.9.3", null))));
        NetworkRecord saved = store.load("net").orElseThrow();

        store.saveWiring(saved, A, "vethaaaa0001");
        assertThat(wiring().resolve(A + ".vethaaaa0001")).exists().isEmptyFile();
        assertThat(Files.readString(root.resolve("networks/net.json"))).doesNotContain("veth");
        NetworkRecord wired = store.load("net").orElseThrow();
        assertThat(wired.endpoints().get(A).veth()).isEqualTo("vethaaaa0001");
        assertThat(wired.endpoints().get(B).wired()).isFalse();
        assertThat(store.list()).containsExactly(wired);

        store.saveWiring(wired, A, "vethaaaa0002"); // rewired: a link left from an unrecorded exit is replaced
        assertThat(store.load("net").orElseThrow().endpoints().get(A).veth()).isEqualTo("vethaaaa0002");
        store.saveWiring(store.load("net").orElseThrow(), A, null);
        assertThat(store.load("net").orElseThrow().endpoints().get(A).wired()).isFalse();
        assertThat(wiring()).isEmptyDirectory();
    }

    @Test
    void savingARecordMakesTheWiringFilesSayWhatItsEndpointsDo() throws Exception {
        NetworkStore store = new NetworkStore(root.resolve("networks"));
        store.save(network(Map.of(A, endpoint("a", "10.213.9.2", "vethaaaa0001"), B, endpoint("b", "10.213.9.3", null))));
        Files.createFile(wiring().resolve(B + ".vethbbbb0001")); // as if left by a crash
        Files.createFile(wiring().resolve("c".repeat(64) + ".vethcccc0001")); // of an endpoint gone since
        assertThat(store.load("net").orElseThrow().endpoints().get(B).veth()).isEqualTo("vethbbbb0001");

        store.save(network(Map.of(A, endpoint("a", "10.213.9.2", "vethaaaa0001"), B, endpoint("b", "10.213.9.3", null))));
        try (var files = Files.list(wiring())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(A + ".vethaaaa0001");
        }
        store.delete("net");
        assertThat(root.resolve("networks/net.json")).doesNotExist();
        assertThat(wiring()).doesNotExist();
    }

    @Test
    void aRecordWrittenBeforeKeepsItsLinkInsideUntilItIsUnwired() throws Exception {
        NetworkStore store = new NetworkStore(root.resolve("networks"));
        Files.writeString(root.resolve("networks/net.json"), """
                {"id": "%s", "name": "net", "bridge": "br-ffffffffffff", "subnet": "10.213.9.0/24",
                 "gateway": "10.213.9.1", "internal": true, "created": "2026-11-28T00:00:00Z",
                 "endpoints": {"%s": {"containerName": "a", "ipAddress": "10.213.9.2", "veth": "vethaaaa0001"}}}
                """.formatted("f".repeat(64), A));
        NetworkRecord legacy = store.load("net").orElseThrow();
        assertThat(legacy.endpoints().get(A).veth()).isEqualTo("vethaaaa0001");

        store.saveWiring(legacy, A, null);
        assertThat(store.load("net").orElseThrow().endpoints().get(A).wired()).isFalse();
        assertThat(Files.readString(root.resolve("networks/net.json"))).doesNotContain("veth");
    }
}
