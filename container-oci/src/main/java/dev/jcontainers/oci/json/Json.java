package dev.jcontainers.oci.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Hand-written JSON codecs on Jackson's streaming API, for the files a cold {@code jc run} reads and writes.
 * A plain {@link JsonFactory} starts in a few milliseconds; databind's {@code ObjectMapper} and the
 * introspection behind its first use of each record cost a cold CLI tens of milliseconds
 * (benchmarks/RESULTS.md). The codecs write what databind writes for the same record and read what it
 * reads, unknown fields ignored, so files written by either side read back the same.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /** Reads one value that starts at the parser's current token, leaving the parser on the value's last token. */
    @FunctionalInterface
    public interface ValueReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Writes one value; the caller has checked that it is not null. */
    @FunctionalInterface
    public interface ValueWriter<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /**
     * Reads a whole document; {@code reader} starts on its first token, null when the document is empty.
     * Content after the first value is ignored, as databind does by default. A record constructor that
     * rejects what was read (a null element in a list, say) is reported as a {@link JsonMismatchException},
     * like every other value of the wrong shape.
     */
    public static <T> T read(byte[] bytes, ValueReader<T> reader) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return read(p, reader);
        }
    }

    /** As {@link #read(byte[], ValueReader)}, of text. */
    public static <T> T read(String text, ValueReader<T> reader) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return read(p, reader);
        }
    }

    private static <T> T read(JsonParser p, ValueReader<T> reader) throws IOException {
        p.nextToken(); // null for an empty document: the reader's type check reports it
        try {
            return reader.read(p);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new JsonMismatchException(p, "invalid value: " + e.getMessage(), e);
        }
    }

    /** Writes a compact UTF-8 document: the bytes databind's {@code writeValueAsBytes} gives. */
    public static <T> byte[] write(T value, ValueWriter<T> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writer.write(g, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        return out.toByteArray();
    }
}
