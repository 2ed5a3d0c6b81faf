package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.oci.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@Command(name = "images", description = "List images.")
class ImagesCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only images of this repository.")
    String filter;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = "--digests", description = "Show digests.")
    boolean digests;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Override
    Integer run(Engine engine) {
        List<String[]> rows = new ArrayList<>();
        rows.add(digests ? new String[]{"REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"}
                : new String[]{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        Set<String> quietIds = new LinkedHashSet<>();
        for (ImageSummary img : engine.images().list()) {
            String id = noTrunc ? img.id() : img.shortId();
            List<String[]> names = new ArrayList<>();
            for (String tag : img.repoTags()) {
                ImageReference r = ImageReference.parse(tag);
                names.add(new String[]{r.familiarName(), r.tag()});
            }
            if (names.isEmpty()) {
                String repo = img.repoDigests().isEmpty() ? "<none>"
                        : ImageReference.parse(img.repoDigests().getFirst()).familiarName();
                names.add(new String[]{repo, "<none>"});
            }
            for (String[] n : names) {
                if (filter != null && !matches(filter, n)) {
                    continue;
                }
                quietIds.add(id);
                String digest = img.repoDigests().isEmpty() ? "<none>"
                        : img.repoDigests().getFirst().substring(img.repoDigests().getFirst().indexOf('@') + 1);
                rows.add(digests ? new String[]{n[0], n[1], digest, id, Format.ago(img.created()), Format.size(img.size())}
                        : new String[]{n[0], n[1], id, Format.ago(img.created()), Format.size(img.size())});
            }
        }
        if (quiet) {
            quietIds.forEach(out()::println);
        } else {
            out().print(Format.table(rows));
        }
        out().flush();
        return 0;
    }

    private static boolean matches(String filter, String[] repoTag) {
        int colon = filter.lastIndexOf(':');
        boolean hasTag = colon > filter.lastIndexOf('/');
        String repo = hasTag ? filter.substring(0, colon) : filter;
        String tag = hasTag ? filter.substring(colon + 1) : null;
        String familiarRepo = ImageReference.tryParse(repo).map(r -> r.familiarName()).orElse(repo);
        return repoTag[0].equals(familiarRepo) && (tag == null || tag.equals(repoTag[1]));
    }
}
