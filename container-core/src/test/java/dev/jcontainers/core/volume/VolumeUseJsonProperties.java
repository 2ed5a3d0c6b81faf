package dev.jcontainers.core.volume;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.testkit.RandomValues;
import dev.jcontainers.testkit.UnknownFields;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** volumes.json from the streaming codec against databind, which wrote and read it before. */
class VolumeUseJsonProperties {
    private final Path dir;

    VolumeUseJsonProperties() throws IOException {
        dir = Files.createTempDirectory("volume-use-");
    }

    @AfterProperty
    void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 200)
    void isWrittenAsDatabindWritesItAndReadBack(@ForAll Random random) throws IOException {
        RandomValues r = new RandomValues(random);
        VolumeUse use = new VolumeUse(r.strings(), r.strings());
        use.write(dir);
        assertArrayEquals(OciJson.mapper().writeValueAsBytes(use), Files.readAllBytes(dir.resolve(VolumeUse.FILE)));
        Files.write(dir.resolve(VolumeUse.FILE), UnknownFields.around(OciJson.mapper().writeValueAsBytes(use)));
        assertEquals(use, VolumeUse.read(dir));
    }

    @Example
    void aFileWithoutItsListsIsRejected() throws IOException {
        Files.writeString(dir.resolve(VolumeUse.FILE), "{\"volumes\":[]}");
        assertThrows(StorageException.class, () -> VolumeUse.read(dir));
        Files.writeString(dir.resolve(VolumeUse.FILE), "{\"volumes\":[],\"anonymous\":{}}");
        assertThrows(StorageException.class, () -> VolumeUse.read(dir));
    }

    @Example
    void noFileIsNoVolumes() {
        assertEquals(new VolumeUse(List.of(), List.of()), VolumeUse.read(dir));
    }
}
