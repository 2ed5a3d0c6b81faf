package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * {@code nftables/libnftables.h}: the library behind the {@code nft} tool, which takes nft script and
 * speaks NETLINK_NETFILTER to the kernel. It is not part of libc, so it is looked up once with dlopen
 * ({@code libnftables.so.1}, Debian's {@code libnftables1}); {@link #available()} is false when it is absent.
 * Symbols in {@code src/main/ffm/nftables.txt}. A context is not thread-safe: one per caller.
 */
public final class Nftables {
    private Nftables() {
    }

    public static final String LIBRARY = "libnftables.so.1";
    public static final int NFT_CTX_DEFAULT = 0;

    private static final Optional<SymbolLookup> LIB = load();

    // in the shape every raw system call is linked in (Native.wordCall): NAT links nothing of its own
    private static final MethodHandle NFT_CTX_NEW = handle("nft_ctx_new");
    private static final MethodHandle NFT_CTX_FREE = handle("nft_ctx_free");
    private static final MethodHandle NFT_CTX_BUFFER_OUTPUT = handle("nft_ctx_buffer_output");
    private static final MethodHandle NFT_CTX_BUFFER_ERROR = handle("nft_ctx_buffer_error");
    private static final MethodHandle NFT_CTX_GET_OUTPUT_BUFFER = handle("nft_ctx_get_output_buffer");
    private static final MethodHandle NFT_CTX_GET_ERROR_BUFFER = handle("nft_ctx_get_error_buffer");
    private static final MethodHandle NFT_RUN_CMD_FROM_BUFFER = handle("nft_run_cmd_from_buffer");

    /** {@code struct nft_ctx *nft_ctx_new(uint32_t flags)}: NULL when it fails. */
    public static MemorySegment nft_ctx_new(int flags) {
        return MemorySegment.ofAddress(Native.callWords(NFT_CTX_NEW, flags & 0xffffffffL, 0, 0, 0, 0, 0));
    }

    /** {@code void nft_ctx_free(struct nft_ctx *ctx)} */
    public static void nft_ctx_free(MemorySegment ctx) {
        Native.callWords(NFT_CTX_FREE, ctx.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int nft_ctx_buffer_output(struct nft_ctx *ctx)} */
    public static int nft_ctx_buffer_output(MemorySegment ctx) {
        return intCall(NFT_CTX_BUFFER_OUTPUT, ctx);
    }

    /** {@code int nft_ctx_buffer_error(struct nft_ctx *ctx)} */
    public static int nft_ctx_buffer_error(MemorySegment ctx) {
        return intCall(NFT_CTX_BUFFER_ERROR, ctx);
    }

    /** {@code const char *nft_ctx_get_output_buffer(struct nft_ctx *ctx)} */
    public static MemorySegment nft_ctx_get_output_buffer(MemorySegment ctx) {
        return pointerCall(NFT_CTX_GET_OUTPUT_BUFFER, ctx);
    }

    /** {@code const char *nft_ctx_get_error_buffer(struct nft_ctx *ctx)} */
    public static MemorySegment nft_ctx_get_error_buffer(MemorySegment ctx) {
        return pointerCall(NFT_CTX_GET_ERROR_BUFFER, ctx);
    }

    /** {@code int nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)} */
    public static int nft_run_cmd_from_buffer(MemorySegment ctx, MemorySegment buf) {
        return (int) Native.callWords(NFT_RUN_CMD_FROM_BUFFER, ctx.address(), buf.address(), 0, 0, 0, 0);
    }

    /** Whether libnftables could be loaded on this machine. */
    public static boolean available() {
        return LIB.isPresent();
    }

    /** A NUL-terminated string the library owns, as Java text; empty for NULL. */
    public static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static Optional<SymbolLookup> load() {
        try {
            return Optional.of(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
        } catch (IllegalArgumentException absent) {
            return Optional.empty();
        }
    }

    private static MethodHandle handle(String name) {
        return LIB.flatMap(lib -> lib.find(name)).map(Native::wordCall).orElse(null);
    }

    private static int intCall(MethodHandle function, MemorySegment ctx) {
        return (int) Native.callWords(function, ctx.address(), 0, 0, 0, 0, 0);
    }

    private static MemorySegment pointerCall(MethodHandle function, MemorySegment ctx) {
        return MemorySegment.ofAddress(Native.callWords(function, ctx.address(), 0, 0, 0, 0, 0));
    }
}
