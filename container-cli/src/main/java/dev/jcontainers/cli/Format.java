package dev.jcontainers.cli;

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

    /** {@code 2 weeks ago}, as Docker's go-units HumanDuration. */
    static String ago(Instant then) {
        if (then == null) {
            return "N/A";
        }
        Duration d = Duration.between(then, Instant.now());
        if (d.isNegative()) {
            return "Less than a second from now";
        }
        long s = d.toSeconds();
        if (s < 1) {
            return "Less than a second ago";
        } else if (s == 1) {
            return "1 second ago";
        } else if (s < 60) {
            return s + " seconds ago";
        }
        long m = d.toMinutes();
        if (m == 1) {
            return "About a minute ago";
        } else if (m < 60) {
            return m + " minutes ago";
        }
        long h = Math.round(d.toMinutes() / 60.0);
        if (h == 1) {
            return "About an hour ago";
        } else if (h < 48) {
            return h + " hours ago";
        } else if (h < 24 * 7 * 2) {
            return h / 24 + " days ago";
        } else if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks ago";
        } else if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months ago";
        }
        return h / 24 / 365 + " years ago";
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
