package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
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

    /** {@code struct nft_ctx *nft_ctx_new(uint32_t flags)} */
    public static final MethodHandle nft_ctx_new = handle("nft_ctx_new",
            FunctionDescriptor.of(Native.C_POINTER, Native.C_UINT));
    /** {@code void nft_ctx_free(struct nft_ctx *ctx)} */
    public static final MethodHandle nft_ctx_free = handle("nft_ctx_free",
            FunctionDescriptor.ofVoid(Native.C_POINTER));
    /** {@code int nft_ctx_buffer_output(struct nft_ctx *ctx)} */
    public static final MethodHandle nft_ctx_buffer_output = handle("nft_ctx_buffer_output",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER));
    /** {@code int nft_ctx_buffer_error(struct nft_ctx *ctx)} */
    public static final MethodHandle nft_ctx_buffer_error = handle("nft_ctx_buffer_error",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER));
    /** {@code const char *nft_ctx_get_output_buffer(struct nft_ctx *ctx)} */
    public static final MethodHandle nft_ctx_get_output_buffer = handle("nft_ctx_get_output_buffer",
            FunctionDescriptor.of(Native.C_POINTER, Native.C_POINTER));
    /** {@code const char *nft_ctx_get_error_buffer(struct nft_ctx *ctx)} */
    public static final MethodHandle nft_ctx_get_error_buffer = handle("nft_ctx_get_error_buffer",
            FunctionDescriptor.of(Native.C_POINTER, Native.C_POINTER));
    /** {@code int nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)} */
    public static final MethodHandle nft_run_cmd_from_buffer = handle("nft_run_cmd_from_buffer",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_POINTER));

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

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LIB.flatMap(lib -> lib.find(name)).map(s -> Native.LINKER.downcallHandle(s, descriptor)).orElse(null);
    }
}
