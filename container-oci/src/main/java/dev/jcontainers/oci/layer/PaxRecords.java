package dev.jcontainers.oci.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * PAX extended header records ({@code "LEN KEY=VALUE\n"}, POSIX.1-2001 pax) with values kept as raw bytes.
 * The standard says values are UTF-8, but {@code SCHILY.xattr.*} values are written byte for byte by GNU tar
 * and Docker (a {@code security.capability} is a binary struct), so a reader that decodes them as text
 * corrupts them. Keys are always text.
 */
final class PaxRecords {
    private PaxRecords() {
    }

    /**
     * The records of one extended header's data, in order; a later record for the same key wins, as in
     * every tar reader. Trailing NUL padding is ignored.
     *
     * @throws IOException for a record whose length field is malformed or runs past the data
     */
    static SequencedMap<String, byte[]> parse(byte[] data) throws IOException {
        SequencedMap<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length && data[pos] != 0) {
            int space = pos;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && length <= data.length) {
                length = length * 10 + (data[space] - '0');
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' ' || length > data.length - pos) {
                throw new IOException("malformed PAX record at offset " + pos);
            }
            int end = pos + (int) length; // exclusive; data[end - 1] is the record's newline
            int equals = indexOf(data, (byte) '=', space + 1, end);
            if (end - 1 <= space || data[end - 1] != '\n' || equals < 0) {
                throw new IOException("malformed PAX record at offset " + pos);
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            records.remove(key);
            records.put(key, Arrays.copyOfRange(data, equals + 1, end - 1));
            pos = end;
        }
        return records;
    }

    /** The data of an extended header holding {@code records}, in their order. */
    static byte[] encode(SequencedMap<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            if (record.getKey().indexOf('=') >= 0 || record.getKey().isEmpty()) {
                throw new IllegalArgumentException("PAX key must be non-empty and free of '=': " + record.getKey());
            }
            byte[] value = record.getValue();
            int body = 1 + key.length + 1 + value.length + 1; // ' ' KEY '=' VALUE '\n'
            // The length counts its own digits: grow the guess until it is stable.
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length = body + Integer.toString(length).length();
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(key);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
