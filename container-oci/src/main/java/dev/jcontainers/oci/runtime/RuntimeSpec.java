package dev.jcontainers.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The OCI runtime specification's {@code config.json} (v1.2), the part a Linux container uses. It is the
 * persisted, standard description of a container: the engine derives the launch plan from it, and runc
 * can run the same bundle.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeSpec(
        @JsonProperty("ociVersion") String ociVersion,
        @JsonProperty("process") Process process,
        @JsonProperty("root") Root root,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("domainname") String domainname,
        @JsonProperty("mounts") List<Mount> mounts,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("linux") Linux linux) {
    public RuntimeSpec {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }


    public static final String VERSION = "1.2.0";

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Process(
            @JsonProperty("terminal") boolean terminal,
            @JsonProperty("user") User user,
            @JsonProperty("args") List<String> args,
            @JsonProperty("env") List<String> env,
            @JsonProperty("cwd") String cwd,
            @JsonProperty("capabilities") Capabilities capabilities,
            @JsonProperty("rlimits") List<Rlimit> rlimits,
            @JsonProperty("noNewPrivileges") boolean noNewPrivileges,
            @JsonProperty("oomScoreAdj") Integer oomScoreAdj) {
        public Process {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
            rlimits = rlimits == null ? List.of() : List.copyOf(rlimits);
        }

    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(
            @JsonProperty("uid") long uid,
            @JsonProperty("gid") long gid,
            @JsonProperty("umask") Integer umask,
            @JsonProperty("additionalGids") List<Long> additionalGids) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(
            @JsonProperty("bounding") List<String> bounding,
            @JsonProperty("effective") List<String> effective,
            @JsonProperty("inheritable") List<String> inheritable,
            @JsonProperty("permitted") List<String> permitted,
            @JsonProperty("ambient") List<String> ambient) {
        public Capabilities {
            bounding = bounding == null ? List.of() : List.copyOf(bounding);
            effective = effective == null ? List.of() : List.copyOf(effective);
            inheritable = inheritable == null ? List.of() : List.copyOf(inheritable);
            permitted = permitted == null ? List.of() : List.copyOf(permitted);
            ambient = ambient == null ? List.of() : List.copyOf(ambient);
        }


        /** The same set in bounding, effective and permitted, none inheritable or ambient: Docker's shape. */
        public static Capabilities of(List<String> caps) {
            return new Capabilities(caps, caps, List.of(), caps, List.of());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rlimit(
            @JsonProperty("type") String type,
            @JsonProperty("hard") long hard,
            @JsonProperty("soft") long soft) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Root(
            @JsonProperty("path") String path,
            @JsonProperty("readonly") boolean readonly) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mount(
            @JsonProperty("destination") String destination,
            @JsonProperty("type") String type,
            @JsonProperty("source") String source,
            @JsonProperty("options") List<String> options) {
        public Mount {
            options = options == null ? List.of() : List.copyOf(options);
        }

    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Linux(
            @JsonProperty("uidMappings") List<IdMapping> uidMappings,
            @JsonProperty("gidMappings") List<IdMapping> gidMappings,
            @JsonProperty("sysctl") Map<String, String> sysctl,
            @JsonProperty("resources") Resources resources,
            @JsonProperty("cgroupsPath") String cgroupsPath,
            @JsonProperty("namespaces") List<Namespace> namespaces,
            @JsonProperty("devices") List<Device> devices,
            @JsonProperty("seccomp") Seccomp seccomp,
            @JsonProperty("rootfsPropagation") String rootfsPropagation,
            @JsonProperty("maskedPaths") List<String> maskedPaths,
            @JsonProperty("readonlyPaths") List<String> readonlyPaths,
            @JsonProperty("timeOffsets") Map<String, TimeOffset> timeOffsets) {
        public Linux {
            uidMappings = uidMappings == null ? List.of() : List.copyOf(uidMappings);
            gidMappings = gidMappings == null ? List.of() : List.copyOf(gidMappings);
            sysctl = sysctl == null ? Map.of() : Map.copyOf(sysctl);
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            devices = devices == null ? List.of() : List.copyOf(devices);
            maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
            readonlyPaths = readonlyPaths == null ? List.of() : List.copyOf(readonlyPaths);
            timeOffsets = timeOffsets == null ? Map.of() : Map.copyOf(timeOffsets);
        }

    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IdMapping(
            @JsonProperty("containerID") long containerId,
            @JsonProperty("hostID") long hostId,
            @JsonProperty("size") long size) {
    }

    /** {@code type} is one of pid, network, mount, ipc, uts, user, cgroup, time; a path joins an existing one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Namespace(
            @JsonProperty("type") String type,
            @JsonProperty("path") String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Device(
            @JsonProperty("type") String type,
            @JsonProperty("path") String path,
            @JsonProperty("major") long major,
            @JsonProperty("minor") long minor,
            @JsonProperty("fileMode") Integer fileMode,
            @JsonProperty("uid") Long uid,
            @JsonProperty("gid") Long gid) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TimeOffset(
            @JsonProperty("secs") long secs,
            @JsonProperty("nanosecs") long nanosecs) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resources(
            @JsonProperty("memory") Memory memory,
            @JsonProperty("cpu") Cpu cpu,
            @JsonProperty("pids") Pids pids,
            @JsonProperty("blockIO") BlockIo blockIO,
            @JsonProperty("devices") List<DeviceRule> devices) {
        public Resources {
            devices = devices == null ? List.of() : List.copyOf(devices);
        }

    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Memory(
            @JsonProperty("limit") Long limit,
            @JsonProperty("reservation") Long reservation,
            @JsonProperty("swap") Long swap,
            @JsonProperty("swappiness") Long swappiness,
            @JsonProperty("disableOOMKiller") Boolean disableOomKiller) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cpu(
            @JsonProperty("shares") Long shares,
            @JsonProperty("quota") Long quota,
            @JsonProperty("period") Long period,
            @JsonProperty("cpus") String cpus,
            @JsonProperty("mems") String mems) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pids(@JsonProperty("limit") long limit) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BlockIo(
            @JsonProperty("weight") Integer weight,
            @JsonProperty("throttleReadBpsDevice") List<ThrottleDevice> throttleReadBpsDevice,
            @JsonProperty("throttleWriteBpsDevice") List<ThrottleDevice> throttleWriteBpsDevice,
            @JsonProperty("throttleReadIOPSDevice") List<ThrottleDevice> throttleReadIopsDevice,
            @JsonProperty("throttleWriteIOPSDevice") List<ThrottleDevice> throttleWriteIopsDevice) {
        public BlockIo {
            throttleReadBpsDevice = throttleReadBpsDevice == null ? List.of() : List.copyOf(throttleReadBpsDevice);
            throttleWriteBpsDevice = throttleWriteBpsDevice == null ? List.of() : List.copyOf(throttleWriteBpsDevice);
            throttleReadIopsDevice = throttleReadIopsDevice == null ? List.of() : List.copyOf(throttleReadIopsDevice);
            throttleWriteIopsDevice = throttleWriteIopsDevice == null ? List.of() : List.copyOf(throttleWriteIopsDevice);
        }

    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThrottleDevice(
            @JsonProperty("major") long major,
            @JsonProperty("minor") long minor,
            @JsonProperty("rate") long rate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeviceRule(
            @JsonProperty("allow") boolean allow,
            @JsonProperty("type") String type,
            @JsonProperty("major") Long major,
            @JsonProperty("minor") Long minor,
            @JsonProperty("access") String access) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Seccomp(
            @JsonProperty("defaultAction") String defaultAction,
            @JsonProperty("defaultErrnoRet") Integer defaultErrnoRet,
            @JsonProperty("architectures") List<String> architectures,
            @JsonProperty("syscalls") List<SyscallRule> syscalls) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyscallRule(
            @JsonProperty("names") List<String> names,
            @JsonProperty("action") String action,
            @JsonProperty("errnoRet") Integer errnoRet,
            @JsonProperty("args") List<SyscallArg> args) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyscallArg(
            @JsonProperty("index") int index,
            @JsonProperty("value") long value,
            @JsonProperty("valueTwo") long valueTwo,
            @JsonProperty("op") String op) {
    }
}
