package dev.jcontainers.api;

/** The engine's store on disk failed: I/O error, full disk, corrupt or foreign content. */
public final class StorageException extends ContainerException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
