package dev.jcontainers.api;

/** Content of a media type this engine does not handle (for example Docker schema 1 manifests). */
public final class UnsupportedMediaTypeException extends ContainerException {
    private final String mediaType;

    public UnsupportedMediaTypeException(String mediaType, String context) {
        super("unsupported media type " + mediaType + (context == null ? "" : " (" + context + ")"));
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
