package dev.jcontainers.linux.net.nft;

import dev.jcontainers.linux.ffm.Nftables;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs nft script through libnftables, in the calling thread's network namespace. A script is one
 * transaction: the kernel applies all of its commands or none. Output (of {@code list}) and errors are
 * captured in buffers, never printed.
 */
public final class Nft {
    private Nft() {
    }

    /** libnftables keeps some process-wide state (its symbol tables), so calls do not overlap. */
    private static final ReentrantLock LOCK = new ReentrantLock();

    /** Runs {@code script}; returns what it printed (listings), throws {@link NftException} when refused. */
    public static String run(String script) {
        if (!Nftables.available()) {
            throw new NftablesUnavailableException();
        }
        LOCK.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = Nftables.nft_ctx_new(Nftables.NFT_CTX_DEFAULT);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new NftException(script, "nft_ctx_new failed");
            }
            try {
                // both only fail on allocation failure, which the run below would report too
                int output = Nftables.nft_ctx_buffer_output(ctx);
                int error = Nftables.nft_ctx_buffer_error(ctx);
                int rc = Nftables.nft_run_cmd_from_buffer(ctx, arena.allocateFrom(script));
                if (rc != 0) {
                    throw new NftException(script,
                            Nftables.string(Nftables.nft_ctx_get_error_buffer(ctx)));
                }
                return Nftables.string(Nftables.nft_ctx_get_output_buffer(ctx));
            } finally {
                Nftables.nft_ctx_free(ctx);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libnftables call failed", t);
        } finally {
            LOCK.unlock();
        }
    }
}
