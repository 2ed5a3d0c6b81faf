package dev.jcontainers.linux.net.nft;

/** A host port to publish is mapped already (by another container, possibly of another engine). */
public final class PortInUseException extends NftException {
    PortInUseException(NftException cause) {
        super(cause.script(), cause.error());
        initCause(cause);
    }
}
