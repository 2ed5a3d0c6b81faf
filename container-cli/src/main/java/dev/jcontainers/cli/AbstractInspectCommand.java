package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints a JSON array with one object per argument; a missing one is reported and makes the exit code 1. */
abstract class AbstractInspectCommand extends EngineCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    abstract Map<String, Object> inspect(Engine engine, String name);

    @Override
    Integer run(Engine engine) throws Exception {
        List<Object> result = new ArrayList<>();
        int code = 0;
        for (String name : names) {
            try {
                result.add(inspect(engine, name));
            } catch (ContainerException | IllegalArgumentException e) {
                code = error(e, 1);
            }
        }
        out().println(JSON.writeValueAsString(result));
        out().flush();
        return code;
    }
}
