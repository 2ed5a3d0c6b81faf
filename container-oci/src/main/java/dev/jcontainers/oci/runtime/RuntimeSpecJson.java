package dev.jcontainers.oci.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jcontainers.oci.json.Json;

import java.io.IOException;

import static dev.jcontainers.oci.json.JsonWriter.Omit.EMPTY;
import static dev.jcontainers.oci.json.JsonWriter.Omit.NOTHING;
import static dev.jcontainers.oci.json.JsonWriter.Omit.NULL;
import static dev.jcontainers.oci.json.JsonWriter.bool;
import static dev.jcontainers.oci.json.JsonWriter.list;
import static dev.jcontainers.oci.json.JsonWriter.map;
import static dev.jcontainers.oci.json.JsonWriter.number;
import static dev.jcontainers.oci.json.JsonWriter.object;
import static dev.jcontainers.oci.json.JsonWriter.string;
import static dev.jcontainers.oci.json.JsonWriter.stringList;
import static dev.jcontainers.oci.json.JsonWriter.stringMap;

/**
 * Writes a {@link RuntimeSpec} as {@code config.json} on Jackson's streaming API (see {@code oci.json}): the
 * bytes databind writes for it, field for field, each record under its own {@code @JsonInclude} (the
 * {@code Omit} each method passes). Reading one back, off the start path, stays with databind.
 */
public final class RuntimeSpecJson {
    private RuntimeSpecJson() {
    }

    public static byte[] write(RuntimeSpec spec) {
        return Json.write(spec, RuntimeSpecJson::spec);
    }

    private static void spec(JsonGenerator g, RuntimeSpec s) throws IOException {
        g.writeStartObject();
        string(g, EMPTY, "ociVersion", s.ociVersion());
        object(g, EMPTY, "process", s.process(), RuntimeSpecJson::process);
        object(g, EMPTY, "root", s.root(), RuntimeSpecJson::root);
        string(g, EMPTY, "hostname", s.hostname());
        string(g, EMPTY, "domainname", s.domainname());
        list(g, EMPTY, "mounts", s.mounts(), RuntimeSpecJson::mount);
        stringMap(g, EMPTY, "annotations", s.annotations());
        object(g, EMPTY, "linux", s.linux(), RuntimeSpecJson::linux);
        g.writeEndObject();
    }

    private static void process(JsonGenerator g, RuntimeSpec.Process p) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("terminal", p.terminal());
        object(g, EMPTY, "user", p.user(), RuntimeSpecJson::user);
        stringList(g, EMPTY, "args", p.args());
        stringList(g, EMPTY, "env", p.env());
        string(g, EMPTY, "cwd", p.cwd());
        object(g, EMPTY, "capabilities", p.capabilities(), RuntimeSpecJson::capabilities);
        list(g, EMPTY, "rlimits", p.rlimits(), RuntimeSpecJson::rlimit);
        g.writeBooleanField("noNewPrivileges", p.noNewPrivileges());
        number(g, EMPTY, "oomScoreAdj", p.oomScoreAdj());
        g.writeEndObject();
    }

    private static void user(JsonGenerator g, RuntimeSpec.User u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("uid", u.uid());
        g.writeNumberField("gid", u.gid());
        number(g, NULL, "umask", u.umask());
        list(g, NULL, "additionalGids", u.additionalGids(), JsonGenerator::writeNumber);
        g.writeEndObject();
    }

    private static void capabilities(JsonGenerator g, RuntimeSpec.Capabilities c) throws IOException {
        g.writeStartObject();
        stringList(g, NULL, "bounding", c.bounding());
        stringList(g, NULL, "effective", c.effective());
        stringList(g, NULL, "inheritable", c.inheritable());
        stringList(g, NULL, "permitted", c.permitted());
        stringList(g, NULL, "ambient", c.ambient());
        g.writeEndObject();
    }

    private static void rlimit(JsonGenerator g, RuntimeSpec.Rlimit r) throws IOException {
        g.writeStartObject();
        string(g, NOTHING, "type", r.type());
        g.writeNumberField("hard", r.hard());
        g.writeNumberField("soft", r.soft());
        g.writeEndObject();
    }

    private static void root(JsonGenerator g, RuntimeSpec.Root r) throws IOException {
        g.writeStartObject();
        string(g, NULL, "path", r.path());
        g.writeBooleanField("readonly", r.readonly());
        g.writeEndObject();
    }

    private static void mount(JsonGenerator g, RuntimeSpec.Mount m) throws IOException {
        g.writeStartObject();
        string(g, EMPTY, "destination", m.destination());
        string(g, EMPTY, "type", m.type());
        string(g, EMPTY, "source", m.source());
        stringList(g, EMPTY, "options", m.options());
        g.writeEndObject();
    }

    private static void linux(JsonGenerator g, RuntimeSpec.Linux l) throws IOException {
        g.writeStartObject();
        list(g, EMPTY, "uidMappings", l.uidMappings(), RuntimeSpecJson::idMapping);
        list(g, EMPTY, "gidMappings", l.gidMappings(), RuntimeSpecJson::idMapping);
        stringMap(g, EMPTY, "sysctl", l.sysctl());
        object(g, EMPTY, "resources", l.resources(), RuntimeSpecJson::resources);
        string(g, EMPTY, "cgroupsPath", l.cgroupsPath());
        list(g, EMPTY, "namespaces", l.namespaces(), RuntimeSpecJson::namespace);
        list(g, EMPTY, "devices", l.devices(), RuntimeSpecJson::device);
        object(g, EMPTY, "seccomp", l.seccomp(), RuntimeSpecJson::seccomp);
        string(g, EMPTY, "rootfsPropagation", l.rootfsPropagation());
        stringList(g, EMPTY, "maskedPaths", l.maskedPaths());
        stringList(g, EMPTY, "readonlyPaths", l.readonlyPaths());
        map(g, EMPTY, "timeOffsets", l.timeOffsets(), RuntimeSpecJson::timeOffset);
        g.writeEndObject();
    }

    private static void idMapping(JsonGenerator g, RuntimeSpec.IdMapping m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("containerID", m.containerId());
        g.writeNumberField("hostID", m.hostId());
        g.writeNumberField("size", m.size());
        g.writeEndObject();
    }

    private static void namespace(JsonGenerator g, RuntimeSpec.Namespace n) throws IOException {
        g.writeStartObject();
        string(g, NULL, "type", n.type());
        string(g, NULL, "path", n.path());
        g.writeEndObject();
    }

    private static void device(JsonGenerator g, RuntimeSpec.Device d) throws IOException {
        g.writeStartObject();
        string(g, NULL, "type", d.type());
        string(g, NULL, "path", d.path());
        g.writeNumberField("major", d.major());
        g.writeNumberField("minor", d.minor());
        number(g, NULL, "fileMode", d.fileMode());
        number(g, NULL, "uid", d.uid());
        number(g, NULL, "gid", d.gid());
        g.writeEndObject();
    }

    private static void timeOffset(JsonGenerator g, RuntimeSpec.TimeOffset t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("secs", t.secs());
        g.writeNumberField("nanosecs", t.nanosecs());
        g.writeEndObject();
    }

    private static void resources(JsonGenerator g, RuntimeSpec.Resources r) throws IOException {
        g.writeStartObject();
        object(g, EMPTY, "memory", r.memory(), RuntimeSpecJson::memory);
        object(g, EMPTY, "cpu", r.cpu(), RuntimeSpecJson::cpu);
        object(g, EMPTY, "pids", r.pids(), RuntimeSpecJson::pids);
        object(g, EMPTY, "blockIO", r.blockIO(), RuntimeSpecJson::blockIo);
        list(g, EMPTY, "devices", r.devices(), RuntimeSpecJson::deviceRule);
        g.writeEndObject();
    }

    private static void memory(JsonGenerator g, RuntimeSpec.Memory m) throws IOException {
        g.writeStartObject();
        number(g, NULL, "limit", m.limit());
        number(g, NULL, "reservation", m.reservation());
        number(g, NULL, "swap", m.swap());
        number(g, NULL, "swappiness", m.swappiness());
        bool(g, NULL, "disableOOMKiller", m.disableOomKiller());
        g.writeEndObject();
    }

    private static void cpu(JsonGenerator g, RuntimeSpec.Cpu c) throws IOException {
        g.writeStartObject();
        number(g, NULL, "shares", c.shares());
        number(g, NULL, "quota", c.quota());
        number(g, NULL, "period", c.period());
        string(g, NULL, "cpus", c.cpus());
        string(g, NULL, "mems", c.mems());
        g.writeEndObject();
    }

    private static void pids(JsonGenerator g, RuntimeSpec.Pids p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("limit", p.limit());
        g.writeEndObject();
    }

    private static void blockIo(JsonGenerator g, RuntimeSpec.BlockIo b) throws IOException {
        g.writeStartObject();
        number(g, EMPTY, "weight", b.weight());
        list(g, EMPTY, "throttleReadBpsDevice", b.throttleReadBpsDevice(), RuntimeSpecJson::throttle);
        list(g, EMPTY, "throttleWriteBpsDevice", b.throttleWriteBpsDevice(), RuntimeSpecJson::throttle);
        list(g, EMPTY, "throttleReadIOPSDevice", b.throttleReadIopsDevice(), RuntimeSpecJson::throttle);
        list(g, EMPTY, "throttleWriteIOPSDevice", b.throttleWriteIopsDevice(), RuntimeSpecJson::throttle);
        g.writeEndObject();
    }

    private static void throttle(JsonGenerator g, RuntimeSpec.ThrottleDevice t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("major", t.major());
        g.writeNumberField("minor", t.minor());
        g.writeNumberField("rate", t.rate());
        g.writeEndObject();
    }

    private static void deviceRule(JsonGenerator g, RuntimeSpec.DeviceRule r) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("allow", r.allow());
        string(g, NULL, "type", r.type());
        number(g, NULL, "major", r.major());
        number(g, NULL, "minor", r.minor());
        string(g, NULL, "access", r.access());
        g.writeEndObject();
    }

    private static void seccomp(JsonGenerator g, RuntimeSpec.Seccomp s) throws IOException {
        g.writeStartObject();
        string(g, EMPTY, "defaultAction", s.defaultAction());
        number(g, EMPTY, "defaultErrnoRet", s.defaultErrnoRet());
        stringList(g, EMPTY, "architectures", s.architectures());
        list(g, EMPTY, "syscalls", s.syscalls(), RuntimeSpecJson::syscall);
        g.writeEndObject();
    }

    private static void syscall(JsonGenerator g, RuntimeSpec.SyscallRule r) throws IOException {
        g.writeStartObject();
        stringList(g, EMPTY, "names", r.names());
        string(g, EMPTY, "action", r.action());
        number(g, EMPTY, "errnoRet", r.errnoRet());
        list(g, EMPTY, "args", r.args(), RuntimeSpecJson::syscallArg);
        g.writeEndObject();
    }

    private static void syscallArg(JsonGenerator g, RuntimeSpec.SyscallArg a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", a.index());
        g.writeNumberField("value", a.value());
        g.writeNumberField("valueTwo", a.valueTwo());
        string(g, NOTHING, "op", a.op());
        g.writeEndObject();
    }
}
