package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a JSON array with one object per argument, or with {@code --format} one line per object from a Go
 * template evaluated over that object's JSON; a missing object is reported and makes the exit code 1, a
 * template error (Go's message) stops with exit code 1 and no output, as Docker's CLI.
 */
abstract class AbstractInspectCommand extends EngineCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
            description = "Format the output using the given Go template, e.g. '{{.State.Pid}}' or '{{json .Config}}'.")
    String format;

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
        if (format == null) {
            out().println(JSON.writeValueAsString(result));
        } else {
            try {
                GoTemplate template = GoTemplate.parse(format);
                List<String> lines = new ArrayList<>();
                for (Object o : result) {
                    lines.add(template.execute(JSON.valueToTree(o)));
                }
                lines.forEach(out()::println);
            } catch (GoTemplate.TemplateException e) {
                err().println("template parsing error: " + e.getMessage());
                err().flush();
                return 1;
            }
        }
        out().flush();
        return code;
    }
}
