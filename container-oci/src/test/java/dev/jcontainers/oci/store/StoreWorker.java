package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/**
 * The second process of the multi-JVM tests, started by {@link ChildJvm}. Modes:
 * <ul>
 *   <li>{@code tag <root> <prefix> <count> <text>}: stores {@link TinyImage#withFile(String) withFile(text)}
 *       and tags {@code <prefix><i>} for each i, after printing "ready";</li>
 *   <li>{@code lease <root>}: opens a lease, prints "leased", holds it until a line arrives on stdin.</li>
 * </ul>
 */
public final class StoreWorker {
    private StoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        OciStore store = OciStore.open(Path.of(args[1]));
        switch (args[0]) {
            case "tag" -> {
                TinyImage image = TinyImage.withFile(args[4]);
                int count = Integer.parseInt(args[3]);
                System.out.println("ready");
                System.out.flush();
                for (int i = 0; i < count; i++) {
                    Descriptor manifest = image.storeAs(store, args[2] + i);
                    if (store.resolve(args[2] + i).isEmpty()) {
                        throw new IllegalStateException("lost " + args[2] + i + " -> " + manifest.digest());
                    }
                }
            }
            case "lease" -> {
                try (OciStore.Lease lease = store.lease()) {
                    System.out.println("leased");
                    System.out.flush();
                    new BufferedReader(new InputStreamReader(System.in)).readLine();
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
