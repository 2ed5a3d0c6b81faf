package dev.jcontainers.oci.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * Writes an entry's PAX extended header ({@code 'x'}) with raw-byte values, which Commons Compress cannot (it
 * encodes values from Strings as UTF-8), and makes the entry's ustar fields fit so that Commons Compress adds
 * no header of its own: a long or non-ASCII name or link target goes into {@code path}/{@code linkpath} and
 * the ustar field keeps an ASCII stand-in, as GNU tar and Go's archive/tar do.
 * Mtimes outside the octal field's range go base-256 (star), as Commons writes them; all readers we care
 * about (Go, GNU tar, libarchive) read that.
 */
final class PaxHeaderWriter {
    /** Commons Compress wants the NUL terminator inside the 100-byte field. */
    private static final int NAME_FIELD = TarConstants.NAMELEN - 1;
    private static final long MAX_OCTAL_SIZE = 077777777777L;
    private static final long MAX_OCTAL_ID = 07777777L;

    private PaxHeaderWriter() {
    }

    /** Writes the extended header {@code entry} needs, if any, and adjusts {@code entry} to go after it. */
    static void writeFor(TarArchiveOutputStream tar, TarArchiveEntry entry, Map<String, byte[]> xattrs)
            throws IOException {
        SequencedMap<String, byte[]> records = new LinkedHashMap<>();
        String name = entry.getName();
        if (!fitsUstar(name)) {
            records.put("path", utf8(name));
            entry.setName(standIn(name));
        }
        String link = entry.getLinkName();
        if (link != null && !link.isEmpty() && !fitsUstar(link)) {
            records.put("linkpath", utf8(link));
            entry.setLinkName(standIn(link));
        }
        if (entry.getSize() > MAX_OCTAL_SIZE) {
            records.put("size", utf8(Long.toString(entry.getSize())));
        }
        if (entry.getLongUserId() > MAX_OCTAL_ID) {
            records.put("uid", utf8(Long.toString(entry.getLongUserId())));
        }
        if (entry.getLongGroupId() > MAX_OCTAL_ID) {
            records.put("gid", utf8(Long.toString(entry.getLongGroupId())));
        }
        Map<String, byte[]> xattrRecords = new TreeMap<>();
        xattrs.forEach((xattr, value) -> Xattrs.toPax(xattrRecords, xattr, value));
        records.putAll(xattrRecords);
        if (records.isEmpty()) {
            return;
        }
        byte[] data = PaxRecords.encode(records);
        TarArchiveEntry header = new TarArchiveEntry(standIn("PaxHeaders.0/" + stripTrailingSlash(name)), TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setMode(0644);
        header.setUserName("");
        header.setGroupName("");
        header.setModTime(entry.getModTime());
        header.setSize(data.length);
        tar.putArchiveEntry(header);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static boolean fitsUstar(String value) {
        return value.length() <= NAME_FIELD && value.chars().allMatch(c -> c > 0 && c < 0x80);
    }

    /** An ASCII name of at most 100 bytes for the ustar field; readers that know PAX ignore it. */
    private static String standIn(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> out.append(c > 0 && c < 0x80 ? (char) c : '_'));
        String ascii = out.toString();
        if (ascii.length() <= NAME_FIELD) {
            return ascii;
        }
        String kept = ascii.substring(0, NAME_FIELD);
        return ascii.endsWith("/") ? kept.substring(0, NAME_FIELD - 1) + "/" : kept;
    }

    private static String stripTrailingSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
