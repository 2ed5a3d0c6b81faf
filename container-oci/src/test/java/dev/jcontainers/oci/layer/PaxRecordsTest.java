package dev.jcontainers.oci.layer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaxRecordsTest {
    @Test
    void lengthFieldCountsItsOwnDigitsAcrossEveryDigitBoundary() throws IOException {
        for (int size = 0; size < 1100; size++) {
            byte[] value = new byte[size];
            for (int i = 0; i < size; i++) {
                value[i] = (byte) (i * 31 + 7); // every byte value, '\n' and '=' included
            }
            SequencedMap<String, byte[]> records = new LinkedHashMap<>();
            records.put("SCHILY.xattr.user.v", value);
            byte[] data = PaxRecords.encode(records);
            int space = new String(data, StandardCharsets.ISO_8859_1).indexOf(' ');
            assertThat(Integer.parseInt(new String(data, 0, space, StandardCharsets.US_ASCII))).isEqualTo(data.length);
            assertThat(PaxRecords.parse(data).get("SCHILY.xattr.user.v")).isEqualTo(value);
        }
    }

    @Test
    void laterRecordsWinAndNulPaddingEnds() throws IOException {
        byte[] data = "8 a=one\n8 b=two\n11 a=three\n\0\0\0".getBytes(StandardCharsets.US_ASCII);
        SequencedMap<String, byte[]> records = PaxRecords.parse(data);
        assertThat(records.keySet()).containsExactly("b", "a");
        assertThat(new String(records.get("a"), StandardCharsets.US_ASCII)).isEqualTo("three");
    }

    @Test
    void rejectsMalformedRecords() {
        for (String bad : new String[] {"x a=b\n", "99 a=b\n", "6 ab\n", "7 a=bc", "5 ab\n\n"}) {
            assertThatThrownBy(() -> PaxRecords.parse(bad.getBytes(StandardCharsets.US_ASCII)))
                    .as(bad).isInstanceOf(IOException.class);
        }
    }
}
