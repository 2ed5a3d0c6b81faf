package dev.jcontainers.benchmarks;

import dev.jcontainers.oci.image.Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 over a file the way the store hashes blobs (buffered chunks through MessageDigest). The file is
 * {@code jc.bench.file} when set, so a script can time {@code sha256sum} on the very same file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class DigestBenchmark {
    @Param({"262144"})
    int bufferSize;

    Path file;
    boolean created;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String given = System.getProperty("jc.bench.file");
        if (given != null) {
            file = Path.of(given);
            return;
        }
        file = Files.createTempFile("jc-digest", ".bin");
        created = true;
        byte[] chunk = new byte[1 << 20];
        Random r = new Random(42);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 256; i++) {
                r.nextBytes(chunk);
                ch.write(ByteBuffer.wrap(chunk));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (created) {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public String sha256File() throws IOException {
        MessageDigest md = Digest.newSha256();
        ByteBuffer buf = ByteBuffer.allocateDirect(bufferSize);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
