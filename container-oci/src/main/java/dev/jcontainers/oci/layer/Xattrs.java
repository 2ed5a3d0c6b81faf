package dev.jcontainers.oci.layer;

import dev.jcontainers.api.MalformedContentException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extended attributes in PAX records. {@code SCHILY.xattr.NAME=VALUE}, the value as raw bytes, is what GNU tar,
 * Docker and containerd write, and what we write; {@code LIBARCHIVE.xattr.ENCODED-NAME=BASE64} is libarchive's
 * form, read too, and written only for the odd name a PAX key cannot hold (one containing '=').
 */
final class Xattrs {
    private Xattrs() {
    }

    /** The xattrs an entry's raw PAX records carry, by name. */
    static Map<String, byte[]> fromPax(Map<String, byte[]> pax, String entry) {
        Map<String, byte[]> xattrs = new TreeMap<>();
        for (Map.Entry<String, byte[]> record : pax.entrySet()) {
            String key = record.getKey();
            if (key.startsWith(LayerUnpacker.SCHILY_XATTR)) {
                xattrs.put(key.substring(LayerUnpacker.SCHILY_XATTR.length()), record.getValue());
            } else if (key.startsWith(LayerUnpacker.LIBARCHIVE_XATTR)) {
                String name = percentDecode(key.substring(LayerUnpacker.LIBARCHIVE_XATTR.length()), entry);
                try {
                    String base64 = new String(record.getValue(), StandardCharsets.US_ASCII).strip();
                    xattrs.put(name, Base64.getDecoder().decode(base64));
                } catch (IllegalArgumentException e) {
                    throw new MalformedContentException("entry \"" + entry + "\": xattr " + name + " is not base64", e);
                }
            }
        }
        return xattrs;
    }

    /** Adds the PAX record for one xattr, its value byte for byte. */
    static void toPax(Map<String, byte[]> pax, String name, byte[] value) {
        if (!name.contains("=")) {
            pax.put(LayerUnpacker.SCHILY_XATTR + name, value);
        } else {
            pax.put(LayerUnpacker.LIBARCHIVE_XATTR + percentEncode(name),
                    Base64.getEncoder().encodeToString(value).getBytes(StandardCharsets.US_ASCII));
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
