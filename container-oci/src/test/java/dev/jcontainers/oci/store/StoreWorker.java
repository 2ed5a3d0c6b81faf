package dev.jcontainers.oci.store;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Descriptor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The second process of the multi-JVM tests, started by {@link ChildJvm}. Modes:
 * <ul>
 *   <li>{@code tag <root> <prefix> <count> <text>}: stores {@link TinyImage#withFile(String) withFile(text)}
 *       and tags {@code <prefix><i>} for each i, after printing "ready";</li>
 *   <li>{@code lease <root>}: opens a lease, prints "leased", holds it until a line arrives on stdin;</li>
 *   <li>{@code fill <root> <bytes>}: streams that many bytes into a BlobWriter, expecting the disk to fill
 *       up; prints the StorageException's message and the number of temp files left.</li>
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
            case "fill" -> {
                byte[] chunk = new byte[64 * 1024];
                long total = Long.parseLong(args[2]);
                try (BlobWriter writer = store.newBlobWriter(null, total)) {
                    while (writer.written() < total) {
                        writer.write(ByteBuffer.wrap(chunk));
                    }
                    writer.commit();
                    System.out.println("stored without error");
                } catch (StorageException e) {
                    System.out.println("StorageException: " + e.getMessage());
                }
                try (var temps = Files.list(store.root().resolve("tmp"))) {
                    System.out.println("temp files left: " + temps.count());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
