package dev.jcontainers.core.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process environment as Docker builds it: the image's {@code Env}, then the caller's variables
 * (replacing same-named ones), {@code PATH} defaulted when neither sets it, {@code HOSTNAME} and
 * {@code HOME} added when absent.
 */
public final class EnvMerger {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private EnvMerger() {
    }

    public static List<String> merge(List<String> imageEnv, Map<String, String> callerEnv, String hostname, String home) {
        Map<String, String> env = new LinkedHashMap<>();
        if (imageEnv != null) {
            for (String entry : imageEnv) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                } else if (eq < 0 && !entry.isEmpty()) {
                    env.put(entry, "");
                }
            }
        }
        env.putAll(callerEnv);
        env.putIfAbsent("PATH", DEFAULT_PATH);
        if (hostname != null) {
            env.putIfAbsent("HOSTNAME", hostname);
        }
        if (home != null) {
            env.putIfAbsent("HOME", home);
        }
        List<String> out = new ArrayList<>(env.size());
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
