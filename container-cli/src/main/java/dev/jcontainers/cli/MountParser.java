package dev.jcontainers.cli;

import dev.jcontainers.api.BindPropagation;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.MountSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's mount notations: {@code -v}, {@code --mount} and {@code --tmpfs}, parsed to {@link MountSpec}s. */
final class MountParser {
    private MountParser() {
    }

    /**
     * {@code -v SRC:DST[:OPTS]} or {@code -v DST}: an absolute source is a bind mount, anything else names a
     * volume; {@code -v DST} alone is an anonymous volume. Options: {@code ro}, {@code rw}, and for a bind mount
     * a propagation ({@code rprivate}, {@code rshared}, {@code slave}, ...).
     */
    static MountSpec volume(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1) {
            return new MountSpec.Volume(null, requireAbsolute(parts[0], text), false);
        }
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("invalid volume specification: '" + text + "'");
        }
        boolean readOnly = false;
        BindPropagation propagation = null;
        if (parts.length == 3) {
            for (String opt : parts[2].split(",")) {
                switch (opt) {
                    case "ro" -> readOnly = true;
                    case "rw" -> readOnly = false;
                    case "rprivate", "private", "rshared", "shared", "rslave", "slave" ->
                            propagation = BindPropagation.parse(opt);
                    default -> throw new IllegalArgumentException("unsupported volume option '" + opt + "' in '"
                            + text + "': ro, rw and a bind propagation are supported");
                }
            }
        }
        String target = requireAbsolute(parts[1], text);
        if (!parts[0].startsWith("/") && propagation != null) {
            throw new IllegalArgumentException("bind propagation is for bind mounts, not volumes: '" + text + "'");
        }
        return parts[0].startsWith("/") ? new MountSpec.Bind(parts[0], target, readOnly, propagation)
                : new MountSpec.Volume(parts[0], target, readOnly);
    }

    /** {@code --mount type=bind|volume|tmpfs,source=..,target=..,readonly,tmpfs-size=..,tmpfs-mode=..}. */
    static MountSpec mount(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String field : text.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).trim();
            String value = eq < 0 ? null : field.substring(eq + 1).trim();
            String canonical = switch (key) {
                case "src", "source" -> "source";
                case "dst", "destination", "target" -> "target";
                case "ro", "readonly" -> "readonly";
                case "type", "tmpfs-size", "tmpfs-mode", "bind-propagation" -> key;
                default -> throw new IllegalArgumentException("unsupported --mount field '" + key + "' in '" + text
                        + "'");
            };
            if (kv.put(canonical, value) != null) {
                throw new IllegalArgumentException("duplicate --mount field '" + key + "' in '" + text + "'");
            }
        }
        String type = kv.getOrDefault("type", "volume");
        String target = kv.get("target");
        if (target == null) {
            throw new IllegalArgumentException("--mount needs a target: '" + text + "'");
        }
        requireAbsolute(target, text);
        boolean readOnly = kv.containsKey("readonly") && parseBool(kv.get("readonly"), text);
        String source = kv.get("source");
        if (kv.containsKey("bind-propagation") && !type.equals("bind")) {
            throw new IllegalArgumentException("bind-propagation is for type=bind: '" + text + "'");
        }
        return switch (type) {
            case "bind" -> {
                if (source == null) {
                    throw new IllegalArgumentException("a bind mount needs a source: '" + text + "'");
                }
                String propagation = kv.get("bind-propagation");
                yield new MountSpec.Bind(requireAbsolute(source, text), target, readOnly,
                        propagation == null ? null : BindPropagation.parse(propagation));
            }
            case "volume" -> new MountSpec.Volume(source, target, readOnly);
            case "tmpfs" -> {
                if (source != null || readOnly) {
                    throw new IllegalArgumentException("a tmpfs mount takes no source and is writable: '" + text + "'");
                }
                String size = kv.get("tmpfs-size");
                String mode = kv.get("tmpfs-mode");
                yield new MountSpec.Tmpfs(target, size == null ? null : DataSize.parse(size),
                        mode == null ? null : octal(mode, text));
            }
            default -> throw new IllegalArgumentException("unsupported mount type '" + type + "': bind, volume or tmpfs");
        };
    }

    /** {@code --tmpfs PATH[:size=64m,mode=1777]}; {@code rw} is accepted as it is the only choice. */
    static MountSpec.Tmpfs tmpfs(String text) {
        int colon = text.indexOf(':');
        String target = requireAbsolute(colon < 0 ? text : text.substring(0, colon), text);
        DataSize size = null;
        Integer mode = null;
        if (colon >= 0) {
            for (String opt : text.substring(colon + 1).split(",")) {
                if (opt.startsWith("size=")) {
                    size = DataSize.parse(opt.substring(5));
                } else if (opt.startsWith("mode=")) {
                    mode = octal(opt.substring(5), text);
                } else if (!opt.equals("rw") && !opt.isEmpty()) {
                    throw new IllegalArgumentException("unsupported tmpfs option '" + opt + "' in '" + text
                            + "': size, mode and rw are supported");
                }
            }
        }
        return new MountSpec.Tmpfs(target, size, mode);
    }

    private static String requireAbsolute(String path, String spec) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("invalid mount path '" + path + "' in '" + spec
                    + "': mount path must be absolute");
        }
        return path;
    }

    private static int octal(String mode, String spec) {
        try {
            return Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid mode '" + mode + "' in '" + spec + "': octal expected");
        }
    }

    private static boolean parseBool(String value, String spec) {
        return switch (value == null ? "true" : value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("invalid readonly value '" + value + "' in '" + spec + "'");
        };
    }
}
