package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ProcessInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code docker top}: the container's processes, by default in the columns of {@code ps -ef}. {@code -o} picks
 * columns by their ps names; the values come from /proc (no ps is run).
 */
@Command(name = "top", description = "Display the running processes of a container.")
class TopCommand extends EngineCommand {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT);

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Option(names = "-o", paramLabel = "COLUMNS", split = ",",
            description = "ps columns: user, uid, pid, ppid, c, stime, tty, time, stat, rss, vsz, comm, cmd (default: ps -ef's).")
    List<String> columns = List.of("uid", "pid", "ppid", "c", "stime", "tty", "time", "cmd");

    @Override
    Integer run(Engine engine) {
        List<ProcessInfo> processes = engine.containers().get(container).top();
        List<Cell> cells = columns.stream().map(TopCommand::column).toList(); // rejects unknown names before any output
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(TopCommand::header).toArray(String[]::new));
        for (ProcessInfo p : processes) {
            rows.add(cells.stream().map(c -> c.apply(p, now)).toArray(String[]::new));
        }
        out().print(Format.table(rows));
        out().flush();
        return 0;
    }

    private interface Cell {
        String apply(ProcessInfo p, Instant now);
    }

    private static String header(String column) {
        return switch (column) {
            case "uid" -> "UID"; // ps -ef's UID column shows the user name
            case "cmd", "args", "command" -> "CMD";
            case "comm" -> "COMMAND";
            default -> column.toUpperCase(Locale.ROOT);
        };
    }

    private static Cell column(String column) {
        return switch (column) {
            case "uid", "user" -> (p, now) -> p.user();
            case "pid" -> (p, now) -> Long.toString(p.pid());
            case "ppid" -> (p, now) -> Long.toString(p.ppid());
            case "c" -> TopCommand::cpuPercent;
            case "stime" -> (p, now) -> stime(p.started(), now);
            case "tty" -> (p, now) -> p.tty();
            case "time" -> (p, now) -> cpuTime(p.cpuTime());
            case "stat" -> (p, now) -> Character.toString(p.state());
            case "rss" -> (p, now) -> Long.toString(p.rssBytes() / 1024);
            case "vsz" -> (p, now) -> Long.toString(p.vszBytes() / 1024);
            case "comm" -> (p, now) -> p.name();
            case "cmd", "args", "command" -> (p, now) -> p.command();
            default -> throw new IllegalArgumentException("unknown top column: " + column);
        };
    }

    /** ps's C: CPU time over lifetime, in whole percent. */
    private static String cpuPercent(ProcessInfo p, Instant now) {
        long lived = Duration.between(p.started(), now).toMillis();
        return Long.toString(lived <= 0 ? 0 : p.cpuTime().toMillis() * 100 / lived);
    }

    /** ps's STIME: the time of day when started today, else the month and day. */
    static String stime(Instant started, Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        boolean today = started.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return (today ? CLOCK : DAY).format(started.atZone(zone));
    }

    /** ps's TIME: [DD-]HH:MM:SS of CPU. */
    static String cpuTime(Duration d) {
        long s = d.toSeconds();
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
        return s >= 86400 ? s / 86400 + "-" + hms : hms;
    }
}
