package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "history", description = "Show the history of an image.")
class HistoryCommand extends EngineCommand {
    @Parameters(paramLabel = "IMAGE")
    String image;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show layer digests.")
    boolean quiet;

    @Override
    Integer run(Engine engine) {
        List<HistoryEntry> history = engine.images().history(image);
        String top = engine.images().inspect(image).id();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"});
        boolean first = true;
        for (HistoryEntry h : history) {
            String id = first ? (noTrunc ? top : Format.shortHex(top)) : "<missing>";
            first = false;
            if (quiet) {
                out().println(id);
                continue;
            }
            String by = h.createdBy();
            if (!noTrunc && by.length() > 45) {
                by = by.substring(0, 44) + "…";
            }
            rows.add(new String[]{id, Format.ago(h.created()), by, Format.size(h.size()),
                    h.comment() == null ? "" : h.comment()});
        }
        if (!quiet) {
            out().print(Format.table(rows));
        }
        out().flush();
        return 0;
    }
}
