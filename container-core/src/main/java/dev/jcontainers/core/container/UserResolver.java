package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves Docker's {@code --user name|uid[:group|gid]} against the image's own {@code /etc/passwd} and
 * {@code /etc/group} (never the host's), as runc's libcontainer/user does: numeric ids need no entry,
 * names must exist; supplementary groups are those listing the user; HOME comes from passwd.
 */
public final class UserResolver {
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
    }

    private UserResolver() {
    }

    /** {@code rootfs} is the container's root directory as seen from the host. */
    public static ResolvedUser resolve(Path rootfs, String spec) {
        String user = spec == null || spec.isEmpty() ? "0" : spec;
        String userPart = user;
        String groupPart = null;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            userPart = user.substring(0, colon);
            groupPart = user.substring(colon + 1);
        }
        List<String[]> passwd = read(rootfs, "etc/passwd", 7);
        List<String[]> groups = read(rootfs, "etc/group", 4);

        Optional<String[]> pw = find(passwd, userPart);
        long uid;
        long gid;
        String name;
        String home;
        if (pw.isPresent()) {
            uid = parseId(pw.get()[2], "uid in passwd");
            gid = parseId(pw.get()[3], "gid in passwd");
            name = pw.get()[0];
            home = pw.get()[5].isEmpty() ? "/" : pw.get()[5];
        } else if (isNumeric(userPart)) {
            uid = parseId(userPart, "uid");
            gid = uid == 0 ? 0 : uid;
            name = null;
            home = "/";
        } else {
            throw new ContainerException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            Optional<String[]> gr = find(groups, groupPart);
            if (gr.isPresent()) {
                gid = parseId(gr.get()[2], "gid in group");
            } else if (isNumeric(groupPart)) {
                gid = parseId(groupPart, "gid");
            } else {
                throw new ContainerException("unable to find group " + groupPart + ": no matching entries in group file");
            }
        }
        List<Long> additional = new ArrayList<>();
        if (name != null && groupPart == null) {
            for (String[] g : groups) {
                for (String member : g[3].split(",")) {
                    if (member.trim().equals(name)) {
                        long id = parseId(g[2], "gid in group");
                        if (id != gid && !additional.contains(id)) {
                            additional.add(id);
                        }
                    }
                }
            }
        }
        return new ResolvedUser(uid, gid, List.copyOf(additional), home);
    }

    /**
     * Docker's {@code --group-add}: each group name looked up in the image's {@code /etc/group}, a number
     * taken as a gid even without an entry.
     */
    public static List<Long> resolveGroups(Path rootfs, List<String> groupsToAdd) {
        if (groupsToAdd.isEmpty()) {
            return List.of();
        }
        List<String[]> groups = read(rootfs, "etc/group", 4);
        List<Long> gids = new ArrayList<>();
        for (String g : groupsToAdd) {
            Optional<String[]> entry = find(groups, g);
            long gid;
            if (entry.isPresent()) {
                gid = parseId(entry.get()[2], "gid in group");
            } else if (isNumeric(g)) {
                gid = parseId(g, "gid");
            } else {
                throw new ContainerException("unable to find group " + g + ": no matching entries in group file");
            }
            if (!gids.contains(gid)) {
                gids.add(gid);
            }
        }
        return List.copyOf(gids);
    }

    private static Optional<String[]> find(List<String[]> entries, String nameOrId) {
        for (String[] e : entries) {
            if (e[0].equals(nameOrId)) {
                return Optional.of(e);
            }
        }
        if (isNumeric(nameOrId)) {
            for (String[] e : entries) {
                if (e[2].equals(nameOrId)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** Entries of a colon-separated database file; a missing file is an empty database. */
    private static List<String[]> read(Path rootfs, String relative, int fields) {
        Path file = rootfs.resolve(relative);
        List<String[]> out = new ArrayList<>();
        try {
            if (Files.isSymbolicLink(file) || Files.isSymbolicLink(file.getParent())) {
                // An image's symlink must not lead us to read the host's files.
                return out;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(":", -1);
                if (parts.length < 3) {
                    continue;
                }
                String[] padded = new String[fields];
                for (int i = 0; i < fields; i++) {
                    padded[i] = i < parts.length ? parts[i] : "";
                }
                out.add(padded);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new ContainerException("cannot read " + relative + " of the image: " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static long parseId(String s, String what) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0 || v > 0xFFFF_FFFEL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ContainerException("invalid " + what + ": " + s);
        }
    }
}
