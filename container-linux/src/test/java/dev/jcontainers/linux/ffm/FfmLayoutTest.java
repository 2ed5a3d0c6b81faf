package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hand-written bindings against the C headers: for each family, gcc compiles its probe and every
 * struct size, field offset and numeric constant of the Java class must equal what C says, and the
 * probe must cover every constant the class declares (so a new constant cannot skip the check).
 */
class FfmLayoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "probe_mount.c, dev.jcontainers.linux.ffm.Mount",
            "probe_stat.c, dev.jcontainers.linux.ffm.Stat",
            "probe_sched.c, dev.jcontainers.linux.ffm.Sched",
            "probe_unistd.c, dev.jcontainers.linux.ffm.Unistd",
            "probe_termios.c, dev.jcontainers.linux.ffm.Termios",
            "probe_fileat.c, dev.jcontainers.linux.ffm.FileAt"})
    void javaBindingsMatchTheCHeaders(String probe, String bindingClass) throws Exception {
        Map<String, Long> c = StructProbe.run(probe);
        Class<?> binding = Class.forName(bindingClass);

        assertThat(javaConstants(binding)).as("constants of " + binding.getSimpleName())
                .isEqualTo(prefixed(c, "const."));

        Set<String> structs = new TreeSet<>();
        for (Field field : binding.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof StructLayout struct) {
                String name = struct.name().orElseThrow();
                structs.add(name);
                assertThat(struct.byteSize()).as("sizeof(struct %s)", name).isEqualTo(c.get("sizeof." + name));
                assertThat(javaOffsets(struct)).as("field offsets of struct " + name)
                        .isEqualTo(prefixed(c, "offsetof." + name + "."));
            }
        }
        assertThat(structs).as("structs with a Java layout").isEqualTo(prefixed(c, "sizeof.").keySet());
    }

    private static Map<String, Long> javaConstants(Class<?> binding) throws IllegalAccessException {
        Map<String, Long> constants = new TreeMap<>();
        for (Field field : binding.getFields()) {
            int mods = field.getModifiers();
            boolean constant = Modifier.isStatic(mods) && Modifier.isFinal(mods)
                    && field.getName().equals(field.getName().toUpperCase());
            if (constant && field.getType() == int.class) {
                constants.put(field.getName(), (long) field.getInt(null));
            } else if (constant && field.getType() == long.class) {
                constants.put(field.getName(), field.getLong(null));
            }
        }
        return constants;
    }

    private static Map<String, Long> javaOffsets(StructLayout struct) {
        Map<String, Long> offsets = new TreeMap<>();
        for (MemoryLayout member : struct.memberLayouts()) {
            member.name().ifPresent(n -> offsets.put(n,
                    struct.byteOffset(MemoryLayout.PathElement.groupElement(n))));
        }
        return offsets;
    }

    private static Map<String, Long> prefixed(Map<String, Long> values, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
