package dev.jcontainers.oci.runtime;

import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.testkit.RandomValues;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** config.json from the streaming writer is byte for byte what databind writes for the same spec. */
class RuntimeSpecJsonProperties {

    @Property(tries = 500)
    void specIsWrittenAsDatabindWritesIt(@ForAll Random random) throws IOException {
        RuntimeSpec spec = spec(new RandomValues(random));
        assertArrayEquals(OciJson.mapper().writeValueAsBytes(spec), RuntimeSpecJson.write(spec),
                () -> "for " + spec);
    }

    private static RuntimeSpec spec(RandomValues r) {
        return new RuntimeSpec(r.nullableString(), r.nullable(() -> process(r)),
                r.nullable(() -> new RuntimeSpec.Root(r.nullableString(), r.bool())), r.nullableString(),
                r.nullableString(), r.nullable(() -> r.list(() -> mount(r))), r.nullable(r::stringMap),
                r.nullable(() -> linux(r)));
    }

    private static RuntimeSpec.Process process(RandomValues r) {
        return new RuntimeSpec.Process(r.bool(),
                r.nullable(() -> new RuntimeSpec.User(r.anyLong(), r.anyLong(), r.nullableInt(),
                        r.nullable(() -> r.list(r::anyLong)))),
                r.nullable(r::strings), r.nullable(r::strings), r.nullableString(),
                r.nullable(() -> new RuntimeSpec.Capabilities(r.nullable(r::strings), r.nullable(r::strings),
                        r.nullable(r::strings), r.nullable(r::strings), r.nullable(r::strings))),
                r.nullable(() -> r.list(() -> new RuntimeSpec.Rlimit(r.nullableString(), r.anyLong(),
                        r.anyLong()))),
                r.bool(), r.nullableInt());
    }

    private static RuntimeSpec.Mount mount(RandomValues r) {
        return new RuntimeSpec.Mount(r.nullableString(), r.nullableString(), r.nullableString(),
                r.nullable(r::strings));
    }

    private static RuntimeSpec.Linux linux(RandomValues r) {
        return new RuntimeSpec.Linux(r.nullable(() -> r.list(() -> idMapping(r))),
                r.nullable(() -> r.list(() -> idMapping(r))), r.nullable(r::stringMap),
                r.nullable(() -> resources(r)), r.nullableString(),
                r.nullable(() -> r.list(() -> new RuntimeSpec.Namespace(r.nullableString(), r.nullableString()))),
                r.nullable(() -> r.list(() -> new RuntimeSpec.Device(r.nullableString(), r.nullableString(),
                        r.anyLong(), r.anyLong(), r.nullableInt(), r.nullableLong(), r.nullableLong()))),
                r.nullable(() -> seccomp(r)), r.nullableString(), r.nullable(r::strings), r.nullable(r::strings),
                r.nullable(() -> r.map(() -> new RuntimeSpec.TimeOffset(r.anyLong(), r.anyLong()))));
    }

    private static RuntimeSpec.IdMapping idMapping(RandomValues r) {
        return new RuntimeSpec.IdMapping(r.anyLong(), r.anyLong(), r.anyLong());
    }

    private static RuntimeSpec.Resources resources(RandomValues r) {
        return new RuntimeSpec.Resources(
                r.nullable(() -> new RuntimeSpec.Memory(r.nullableLong(), r.nullableLong(), r.nullableLong(),
                        r.nullableLong(), r.nullableBoolean())),
                r.nullable(() -> new RuntimeSpec.Cpu(r.nullableLong(), r.nullableLong(), r.nullableLong(),
                        r.nullableString(), r.nullableString())),
                r.nullable(() -> new RuntimeSpec.Pids(r.anyLong())),
                r.nullable(() -> new RuntimeSpec.BlockIo(r.nullableInt(), r.nullable(() -> throttles(r)),
                        r.nullable(() -> throttles(r)), r.nullable(() -> throttles(r)),
                        r.nullable(() -> throttles(r)))),
                r.nullable(() -> r.list(() -> new RuntimeSpec.DeviceRule(r.bool(), r.nullableString(),
                        r.nullableLong(), r.nullableLong(), r.nullableString()))));
    }

    private static List<RuntimeSpec.ThrottleDevice> throttles(RandomValues r) {
        return r.list(() -> new RuntimeSpec.ThrottleDevice(r.anyLong(), r.anyLong(), r.anyLong()));
    }

    private static RuntimeSpec.Seccomp seccomp(RandomValues r) {
        return new RuntimeSpec.Seccomp(r.nullableString(), r.nullableInt(), r.nullable(r::strings),
                r.nullable(() -> r.list(() -> new RuntimeSpec.SyscallRule(r.nullable(r::strings), r.nullableString(),
                        r.nullableInt(), r.nullable(() -> r.list(() -> new RuntimeSpec.SyscallArg(r.anyInt(),
                                r.anyLong(), r.anyLong(), r.nullableString())))))));
    }
}
