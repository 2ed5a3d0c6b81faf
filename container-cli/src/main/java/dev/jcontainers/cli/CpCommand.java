package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code jc cp}: copies between a container and the host, as {@code docker cp} does (see
 * {@link Container#copyTo(Path, String, boolean)} for the rules). One side is {@code CONTAINER:PATH}; the
 * other a host path, or {@code -} for a tar stream on stdin (into a container directory) or stdout.
 */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem.")
class CpCommand extends EngineCommand {
    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information).")
    boolean archive;

    @Parameters(index = "0", paramLabel = "SRC", description = "CONTAINER:SRC_PATH, a local path, or - (a tar stream).")
    String source;

    @Parameters(index = "1", paramLabel = "DEST", description = "CONTAINER:DEST_PATH, a local path, or -.")
    String destination;

    @Override
    Integer run(Engine engine) throws Exception {
        String[] from = split(source);
        String[] to = split(destination);
        if ((from == null) == (to == null)) {
            throw new IllegalArgumentException("copying between containers or between local paths is not supported: "
                    + "exactly one of SRC and DEST must be CONTAINER:PATH");
        }
        if (from != null) {
            Container c = engine.containers().get(from[0]);
            if (destination.equals("-")) {
                c.copyFrom(from[1], binaryOut());
                binaryOut().flush();
            } else {
                c.copyFrom(from[1], Path.of(destination).toAbsolutePath(), archive);
            }
        } else {
            Container c = engine.containers().get(to[0]);
            if (source.equals("-")) {
                c.copyTo(in(), to[1], archive);
            } else {
                // keep a trailing "/." or "/": they carry meaning that Path would normalise away
                String local = source.startsWith("/") ? source : Path.of("").toAbsolutePath() + "/" + source;
                c.copyTo(Path.of(local), to[1], archive);
            }
        }
        return 0;
    }

    /**
     * {@code CONTAINER:PATH} as {container, path}; null for a local path. As Docker: a path starting with
     * {@code /} or {@code .} is local whatever colons it holds.
     */
    static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) {
            return null;
        }
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String path = arg.substring(colon + 1);
        return new String[] {arg.substring(0, colon), path.isEmpty() ? "/" : path};
    }
}
