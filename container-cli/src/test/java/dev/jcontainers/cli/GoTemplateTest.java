package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Go template subset of {@code --format}, against the outputs and errors Go's text/template gives. */
class GoTemplateTest {
    private static final JsonNode DATA = json("""
            {"Name": "/web", "State": {"Pid": 4242, "Running": true, "Health": {"Status": "healthy"}, "Error": null},
             "Config": {"Image": "busybox:1", "Labels": {"b": "2", "a": "1", "com.example.x": "y"},
                        "Cmd": ["sh", "-c", "echo hi"]},
             "NetworkSettings": {"IPAddress": "10.77.0.2"}}
            """);

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String template) {
        return GoTemplate.parse(template).execute(DATA);
    }

    @Test
    void printsFieldsAndLiteralTextAsGoDoes() {
        assertThat(run("{{.State.Pid}}")).isEqualTo("4242");
        assertThat(run("pid={{.State.Pid}} health={{.State.Health.Status}}!")).isEqualTo("pid=4242 health=healthy!");
        assertThat(run("{{ .NetworkSettings.IPAddress }}")).isEqualTo("10.77.0.2");
        assertThat(run("{{.State.Running}}")).isEqualTo("true");
        assertThat(run("{{.State.Error}}")).isEqualTo("<no value>");
        assertThat(run("{{.Config.Labels}}")).isEqualTo("map[a:1 b:2 com.example.x:y]");
        assertThat(run("{{.Config.Cmd}}")).isEqualTo("[sh -c echo hi]");
        assertThat(run("no actions")).isEqualTo("no actions");
        assertThat(run("a  {{- .Name -}}  b")).isEqualTo("a/webb");
    }

    @Test
    void functionsAndPipelines() {
        assertThat(run("{{json .Config.Cmd}}")).isEqualTo("[\"sh\",\"-c\",\"echo hi\"]");
        assertThat(run("{{json .State.Health}}")).isEqualTo("{\"Status\":\"healthy\"}");
        assertThat(run("{{.Config.Image | json}}")).isEqualTo("\"busybox:1\"");
        assertThat(run("{{index .Config.Labels \"com.example.x\"}}")).isEqualTo("y");
        assertThat(run("{{index .Config.Labels \"missing\"}}")).isEqualTo("<no value>");
        assertThat(run("{{join .Config.Cmd \",\"}}")).isEqualTo("sh,-c,echo hi");
        assertThat(run("{{upper .State.Health.Status}} {{len .Config.Cmd}}")).isEqualTo("HEALTHY 3");
        assertThat(run("{{json .}}")).startsWith("{\"Name\":\"/web\",");
    }

    @Test
    void errorsReadAsGos() {
        assertThatThrownBy(() -> run("{{.Foo}}")).hasMessage(
                "template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"");
        assertThatThrownBy(() -> run("x {{.State.Foo}}")).hasMessage(
                "template: :1:10: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"");
        assertThatThrownBy(() -> run("{{.State.Pid.X}}")).hasMessage(
                "template: :1:8: executing \"\" at <.State.Pid.X>: can't evaluate field X in type json.Number");
        assertThatThrownBy(() -> run("{{.State.Error.X}}")).hasMessage(
                "template: :1:8: executing \"\" at <.State.Error.X>: nil pointer evaluating interface {}.X");
        assertThatThrownBy(() -> GoTemplate.parse("{{.State.Pid")).hasMessage("template: :1: unclosed action");
        assertThatThrownBy(() -> GoTemplate.parse("{{range .X}}")).hasMessage("template: :1: function \"range\" not defined");
        assertThatThrownBy(() -> GoTemplate.parse("{{}}")).hasMessage("template: :1: missing value for command");
    }
}
