package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitrary;

import dev.jcontainers.testkit.Requirements;

/**
 * Mutated and truncated plans against the real helper's parser ({@code --parse-only}): each must be
 * answered with exit 0 (still valid) or 2 (refused with a message), never a crash. The same corpus also
 * runs against an AddressSanitizer/UBSan build of jc-launch.c, which turns silent out-of-bounds reads
 * into failures.
 */
class HelperParserFuzzTest {
    private static final long SEED = 0x6a636c70L;
    private static Path dir;
    private static Path helper;
    private static List<byte[]> corpus;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("jc-fuzz-");
        helper = HelperProcess.built(dir);
        Arbitrary<LaunchPlan> plans = PlanArbitraries.plans();
        corpus = new ArrayList<>();
        plans.sampleStream().limit(20).forEach(p -> corpus.add(PlanCodec.encode(p)));
        corpus.add(PlanCodec.encode(LaunchPlan.builder().command("/bin/true").build()));
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void refusesMutatedPlansWithoutCrashing() throws Exception {
        fuzz(helper, 500, Map.of());
    }

    @Test
    void sanitizerBuildFindsNoMemoryErrors() throws Exception {
        Path gcc = Requirements.requireTool("gcc");
        Path asan = dir.resolve("jc-launch-asan");
        Process cc = new ProcessBuilder(gcc.toString(), "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1", "-g",
                "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-o", asan.toString(),
                Path.of("src/main/c/jc-launch.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Requirements.require(cc.exitValue() == 0, "gcc cannot build with -fsanitize=address,undefined: " + out);
        fuzz(asan, 200, Map.of("ASAN_OPTIONS", "detect_leaks=0:exitcode=86", "UBSAN_OPTIONS", "exitcode=87"));
    }

    private static void fuzz(Path binary, int cases, Map<String, String> env) throws Exception {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < cases; i++) {
            byte[] plan = mutate(corpus.get(random.nextInt(corpus.size())), random);
            HelperProcess.Result r = HelperProcess.parseOnly(binary, plan, env);
            assertThat(r.exitValue()).as("case %d (%s): %s", i, hex(plan), r.stderr()).isIn(0, 2);
            if (r.exitValue() == 2) {
                assertThat(r.stderr()).as("case %d", i).startsWith("invalid plan: ");
            } else {
                accepted++;
            }
        }
        // most mutations must be caught; the rest are plans that are still well formed
        assertThat(accepted).isLessThan(cases / 2);
    }

    static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            switch (random.nextInt(6)) {
                case 0 -> { // an earlier round may have truncated the plan to nothing
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 2 -> { // an interesting 32-bit value over a length, count or tag
                    if (b.length >= 4) {
                        int[] values = {0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, b.length, b.length + 1, 4096, 65536};
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(random.nextInt(b.length - 3), values[random.nextInt(values.length)]);
                    }
                }
                case 3 -> { // insert random bytes
                    int at = random.nextInt(b.length + 1);
                    byte[] extra = new byte[1 + random.nextInt(16)];
                    random.nextBytes(extra);
                    byte[] n = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(extra, 0, n, at, extra.length);
                    System.arraycopy(b, at, n, at + extra.length, b.length - at);
                    b = n;
                }
                case 4 -> { // remove a range
                    if (b.length > 1) {
                        int from = random.nextInt(b.length);
                        int to = Math.min(b.length, from + 1 + random.nextInt(24));
                        byte[] n = new byte[b.length - (to - from)];
                        System.arraycopy(b, 0, n, 0, from);
                        System.arraycopy(b, to, n, from, b.length - to);
                        b = n;
                    }
                }
                default -> random.nextBytes(b = new byte[random.nextInt(64)]);
            }
        }
        // usually keep the header's total length consistent, so the mutation reaches the section parser
        if (b.length >= PlanCodec.HEADER_SIZE && random.nextInt(4) != 0) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, b.length);
        }
        return b;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 256));
    }
}
