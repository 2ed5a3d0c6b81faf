package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Docker's human-readable output conventions. */
final class Format {
    private Format() {
    }

    /** Sizes as Docker prints them: decimal units, three significant digits ({@code 4.26MB}). */
    static String size(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String num = v >= 100 || u == 0 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        if (num.contains(".")) {
            num = num.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return num + units[u];
    }

    /** {@code 2 weeks ago}, as Docker prints go-units' HumanDuration. */
    static String ago(Instant then) {
        if (then == null) {
            return "N/A";
        }
        Duration d = Duration.between(then, Instant.now());
        if (d.isNegative()) {
            return "Less than a second from now";
        }
        return humanDuration(d) + " ago";
    }

    /** go-units' HumanDuration: {@code Less than a second}, {@code 3 seconds}, {@code About a minute}, ... */
    static String humanDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 1) {
            return "Less than a second";
        } else if (s == 1) {
            return "1 second";
        } else if (s < 60) {
            return s + " seconds";
        }
        long m = d.toMinutes();
        if (m == 1) {
            return "About a minute";
        } else if (m < 60) {
            return m + " minutes";
        }
        long h = Math.round(d.toMinutes() / 60.0);
        if (h == 1) {
            return "About an hour";
        } else if (h < 48) {
            return h + " hours";
        } else if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        } else if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        } else if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }

    /** The STATUS column of {@code docker ps}: {@code Up 3 seconds}, {@code Exited (0) 2 seconds ago}, ... */
    static String containerStatus(ContainerInfo c, Instant now) {
        return switch (c.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + uptime(c, now)
                    + (c.health() == null ? "" : c.health().status() == dev.jcontainers.api.HealthStatus.State.STARTING
                    ? " (health: starting)" : " (" + c.health().status().dockerName() + ")");
            case EXITED -> "Exited (" + c.exitCode() + ") "
                    + (c.finishedAt() == null ? "" : humanDuration(Duration.between(c.finishedAt(), now).abs()) + " ago");
            case PAUSED -> "Up " + uptime(c, now) + " (Paused)";
            case RESTARTING -> "Restarting";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
        };
    }

    private static String uptime(ContainerInfo c, Instant now) {
        return humanDuration(c.startedAt() == null ? Duration.ZERO : Duration.between(c.startedAt(), now).abs());
    }

    /** Docker's durations for flags: {@code 30s}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)").matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (v * unit);
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("invalid duration: " + text);
        }
        return Duration.ofNanos(nanos);
    }

    /** Docker's truncation of long cells: the first {@code max - 1} characters and an ellipsis. */
    static String ellipsis(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    static String shortHex(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** Left-aligned columns separated by three spaces, like Docker's tabwriter output. */
    static String table(List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(r[i]);
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 3));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
