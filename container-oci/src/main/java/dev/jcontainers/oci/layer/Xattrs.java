package dev.jcontainers.oci.layer;

import dev.jcontainers.api.MalformedContentException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extended attributes in PAX records. {@code SCHILY.xattr.NAME=VALUE} is what GNU tar, Docker and containerd
 * write; {@code LIBARCHIVE.xattr.ENCODED-NAME=BASE64} is libarchive's binary-safe form. Commons Compress
 * handles PAX values as UTF-8 text, so values that are not valid UTF-8 travel in the libarchive form.
 */
final class Xattrs {
    private Xattrs() {
    }

    /** The xattrs an entry's PAX records carry, by name. */
    static Map<String, byte[]> fromPax(Map<String, String> pax, String entry) {
        Map<String, byte[]> xattrs = new TreeMap<>();
        for (Map.Entry<String, String> record : pax.entrySet()) {
            String key = record.getKey();
            if (key.startsWith(LayerUnpacker.SCHILY_XATTR)) {
                String value = record.getValue();
                if (value.indexOf('\uFFFD') >= 0) {
                    throw new MalformedContentException("entry \"" + entry + "\": value of xattr "
                            + key.substring(LayerUnpacker.SCHILY_XATTR.length())
                            + " is not UTF-8, which this tar reader cannot keep byte for byte");
                }
                xattrs.put(key.substring(LayerUnpacker.SCHILY_XATTR.length()), value.getBytes(StandardCharsets.UTF_8));
            } else if (key.startsWith(LayerUnpacker.LIBARCHIVE_XATTR)) {
                String name = percentDecode(key.substring(LayerUnpacker.LIBARCHIVE_XATTR.length()), entry);
                try {
                    xattrs.put(name, Base64.getDecoder().decode(record.getValue().strip()));
                } catch (IllegalArgumentException e) {
                    throw new MalformedContentException("entry \"" + entry + "\": xattr " + name + " is not base64", e);
                }
            }
        }
        return xattrs;
    }

    /** Adds the PAX record for one xattr: SCHILY form when the value is text, libarchive form otherwise. */
    static void toPax(Map<String, String> pax, String name, byte[] value) {
        String text = utf8OrNull(value);
        if (text != null && !name.contains("=")) {
            pax.put(LayerUnpacker.SCHILY_XATTR + name, text);
        } else {
            pax.put(LayerUnpacker.LIBARCHIVE_XATTR + percentEncode(name), Base64.getEncoder().encodeToString(value));
        }
    }

    private static String utf8OrNull(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** libarchive's name encoding: bytes outside printable ASCII, and '%' and '=', as %XX. */
    private static String percentEncode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '=') {
                out.append('%').append(String.format("%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static String percentDecode(String encoded, String entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new MalformedContentException("entry \"" + entry + "\": bad xattr name " + encoded);
                }
                try {
                    out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new MalformedContentException("entry \"" + entry + "\": bad xattr name " + encoded, e);
                }
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
