package dev.jcontainers.oci.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * A {@link TarArchiveInputStream} that also keeps the raw bytes of the PAX records that apply to the current
 * entry, because Commons Compress (1.28) decodes every PAX value as UTF-8 and so mangles binary xattr values.
 *
 * <p>Commons Compress reads an extended header's data through this stream's own {@link #read(byte[], int, int)}
 * while that header is the current entry, and then reads the real entry's header by calling
 * {@link #getNextEntry()} again from inside the outer call. So a copy of what passes through {@code read}
 * during a PAX header is exactly its data, and the outermost {@code getNextEntry} call is where one logical
 * entry is complete.
 */
final class RawPaxTarInputStream extends TarArchiveInputStream {
    private final ByteArrayOutputStream localData = new ByteArrayOutputStream();
    private final ByteArrayOutputStream globalData = new ByteArrayOutputStream();
    private SequencedMap<String, byte[]> globalRecords = new LinkedHashMap<>();
    private SequencedMap<String, byte[]> records = new LinkedHashMap<>();
    private int depth;

    RawPaxTarInputStream(InputStream in) {
        super(in);
    }

    /** The PAX records (global ones overlaid by the entry's own) of the entry last returned, values as bytes. */
    SequencedMap<String, byte[]> rawPaxRecords() {
        return records;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        if (depth == 0) {
            localData.reset();
            globalData.reset();
        }
        depth++;
        TarArchiveEntry entry;
        try {
            entry = super.getNextEntry();
        } finally {
            depth--;
        }
        if (depth == 0) {
            if (globalData.size() > 0) {
                globalRecords.putAll(PaxRecords.parse(globalData.toByteArray()));
                globalRecords.values().removeIf(value -> value.length == 0); // an empty value deletes the key
            }
            SequencedMap<String, byte[]> merged = new LinkedHashMap<>(globalRecords);
            merged.putAll(PaxRecords.parse(localData.toByteArray()));
            records = merged;
        }
        return entry;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0 && depth > 0) {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null && current.isPaxHeader()) {
                localData.write(buffer, offset, n);
            } else if (current != null && current.isGlobalPaxHeader()) {
                globalData.write(buffer, offset, n);
            }
        }
        return n;
    }
}
