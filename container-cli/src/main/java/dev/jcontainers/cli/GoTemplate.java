package dev.jcontainers.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The subset of Go's {@code text/template} that {@code --format} strings use, evaluated over the JSON an
 * inspect command prints, as Docker's CLI evaluates them over the raw JSON ({@code missingkey=error}):
 * literal text; actions {@code {{.A.B}}} and {@code {{.}}}; pipelines {@code {{.A | json}}}; string literal
 * arguments; {@code {{-}} / {@code -}}} trimming; the functions {@code json}, {@code index}, {@code len},
 * {@code join}, {@code lower}, {@code upper}, {@code split}. Values print as Go's {@code %v} prints them
 * ({@code map[a:1 b:2]}, {@code [x y]}, {@code <no value>}). No {@code range}, {@code if} or variables.
 * Errors read as Go's: {@code template: :1:8: executing "" at <.State.Foo>: map has no entry for key "Foo"}.
 */
final class GoTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FUNCTIONS = List.of("json", "index", "len", "join", "lower", "upper", "split");

    /** A template that cannot be parsed or executed; the message is Go's. */
    static final class TemplateException extends IllegalArgumentException {
        TemplateException(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Text, Action {
    }

    private record Text(String text) implements Node {
    }

    private record Action(List<Command> pipeline) implements Node {
    }

    /** One command of a pipeline: a function with arguments, or a single operand. */
    private record Command(String function, List<Operand> args) {
    }

    private sealed interface Operand permits Field, Literal {
    }

    /** {@code .A.B}; {@code pos} is where Go reports it: the second element of a chain, else the first. */
    private record Field(List<String> path, int pos) implements Operand {
        String text() {
            return path.isEmpty() ? "." : "." + String.join(".", path);
        }
    }

    private record Literal(String value) implements Operand {
    }

    private final List<Node> nodes;

    private GoTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    static GoTemplate parse(String source) {
        return new Parser(source).parse();
    }

    String execute(JsonNode data) {
        StringBuilder out = new StringBuilder();
        for (Node n : nodes) {
            switch (n) {
                case Text t -> out.append(t.text());
                case Action a -> out.append(print(run(a, data), true));
            }
        }
        return out.toString();
    }

    private JsonNode run(Action a, JsonNode dot) {
        JsonNode piped = null;
        for (Command c : a.pipeline()) {
            List<JsonNode> args = new ArrayList<>();
            for (Operand o : c.args()) {
                args.add(evaluate(o, dot));
            }
            if (piped != null) {
                args.add(piped);
            }
            piped = c.function() == null ? args.getFirst() : call(c.function(), args);
        }
        return piped;
    }

    private static JsonNode evaluate(Operand o, JsonNode dot) {
        return switch (o) {
            case Literal l -> TextNode.valueOf(l.value());
            case Field f -> {
                JsonNode v = dot;
                for (String key : f.path()) {
                    if (v == null || v.isNull()) {
                        throw executing(f, "nil pointer evaluating interface {}." + key);
                    }
                    if (!v.isObject()) {
                        throw executing(f, "can't evaluate field " + key + " in type " + goType(v));
                    }
                    if (!v.has(key)) {
                        throw executing(f, "map has no entry for key \"" + key + "\"");
                    }
                    v = v.get(key);
                }
                yield v;
            }
        };
    }

    private static JsonNode call(String function, List<JsonNode> args) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (function) {
            case "json" -> {
                arity(function, args, 1);
                try {
                    yield TextNode.valueOf(JSON.writeValueAsString(args.getFirst()));
                } catch (JsonProcessingException e) {
                    throw new TemplateException("template: json: " + e.getMessage());
                }
            }
            case "index" -> {
                if (args.isEmpty()) {
                    throw new TemplateException("template: wrong number of args for index: want at least 1 got 0");
                }
                JsonNode v = args.getFirst();
                for (JsonNode key : args.subList(1, args.size())) {
                    if (v.isObject()) {
                        v = v.get(key.asText());
                    } else if (v.isArray() && key.canConvertToInt() && key.asInt() >= 0 && key.asInt() < v.size()) {
                        v = v.get(key.asInt());
                    } else {
                        throw new TemplateException("template: error calling index: cannot index " + goType(v)
                                + " with " + key.asText());
                    }
                    if (v == null) {
                        yield f.nullNode();
                    }
                }
                yield v;
            }
            case "len" -> {
                arity(function, args, 1);
                JsonNode v = args.getFirst();
                yield f.numberNode(v.isTextual() ? v.asText().length() : v.size());
            }
            case "join" -> {
                arity(function, args, 2);
                List<String> parts = new ArrayList<>();
                args.getFirst().forEach(e -> parts.add(print(e, false)));
                yield TextNode.valueOf(String.join(args.get(1).asText(), parts));
            }
            case "split" -> {
                arity(function, args, 2);
                ArrayNode parts = f.arrayNode();
                for (String s : args.getFirst().asText().split(java.util.regex.Pattern.quote(args.get(1).asText()), -1)) {
                    parts.add(s);
                }
                yield parts;
            }
            case "lower" -> TextNode.valueOf(print(args.getFirst(), true).toLowerCase(Locale.ROOT));
            case "upper" -> TextNode.valueOf(print(args.getFirst(), true).toUpperCase(Locale.ROOT));
            default -> throw new IllegalStateException(function);
        };
    }

    private static void arity(String function, List<JsonNode> args, int want) {
        if (args.size() != want) {
            throw new TemplateException("template: wrong number of args for " + function + ": want " + want
                    + " got " + args.size());
        }
    }

    private static TemplateException executing(Field f, String what) {
        return new TemplateException("template: :1:" + f.pos() + ": executing \"\" at <" + f.text() + ">: " + what);
    }

    /** Go's {@code %v} of a value decoded from JSON; {@code top}: a nil prints as the template's {@code <no value>}. */
    private static String print(JsonNode v, boolean top) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return top ? "<no value>" : "<nil>";
        }
        if (v.isObject()) {
            List<String> entries = new ArrayList<>();
            for (String key : new TreeSet<>(iterable(v))) {
                entries.add(key + ":" + print(v.get(key), false));
            }
            return "map[" + String.join(" ", entries) + "]";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(e -> items.add(print(e, false)));
            return "[" + String.join(" ", items) + "]";
        }
        return v.asText();
    }

    private static List<String> iterable(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String goType(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        } else if (v.isNumber()) {
            return "json.Number";
        } else if (v.isBoolean()) {
            return "bool";
        } else if (v.isArray()) {
            return "[]interface {}";
        }
        return "map[string]interface {}";
    }

    /** Text and {@code {{ }}} actions, each action a pipeline of commands. */
    private static final class Parser {
        private final String src;
        private int i;

        Parser(String src) {
            this.src = src;
        }

        GoTemplate parse() {
            List<Node> nodes = new ArrayList<>();
            boolean trimNextText = false;
            while (i < src.length()) {
                int open = src.indexOf("{{", i);
                String text = src.substring(i, open < 0 ? src.length() : open);
                if (trimNextText) {
                    text = text.stripLeading();
                }
                boolean trimLeft = open >= 0 && src.startsWith("{{- ", open);
                if (trimLeft) {
                    text = text.stripTrailing();
                }
                if (!text.isEmpty()) {
                    nodes.add(new Text(text));
                }
                if (open < 0) {
                    break;
                }
                int close = src.indexOf("}}", open + 2);
                if (close < 0) {
                    throw new TemplateException("template: :1: unclosed action");
                }
                trimNextText = close > open + 2 && src.startsWith(" -}}", close - 2);
                int end = trimNextText ? close - 2 : close;
                i = open + (trimLeft ? 4 : 2);
                nodes.add(action(end));
                i = close + 2;
            }
            return new GoTemplate(nodes);
        }

        private Action action(int end) {
            List<Command> pipeline = new ArrayList<>();
            List<Operand> args = new ArrayList<>();
            String function = null;
            while (true) {
                skipSpaces(end);
                if (i >= end || src.charAt(i) == '|') {
                    if (function == null && args.isEmpty()) {
                        throw new TemplateException(pipeline.isEmpty() && i >= end
                                ? "template: :1: missing value for command" : "template: :1: missing command");
                    }
                    if (function == null && args.size() > 1) {
                        throw new TemplateException("template: :1:" + i + ": executing \"\" at <"
                                + describe(args.getFirst()) + ">: can't give argument to non-function "
                                + describe(args.getFirst()));
                    }
                    pipeline.add(new Command(function, List.copyOf(args)));
                    if (i >= end) {
                        return new Action(pipeline);
                    }
                    i++;
                    function = null;
                    args.clear();
                    continue;
                }
                char c = src.charAt(i);
                if (c == '.') {
                    args.add(field(end));
                } else if (c == '"') {
                    args.add(new Literal(string(end)));
                } else if (Character.isLetter(c) && function == null && args.isEmpty()) {
                    int start = i;
                    while (i < end && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                        i++;
                    }
                    function = src.substring(start, i);
                    if (!FUNCTIONS.contains(function)) {
                        throw new TemplateException("template: :1: function \"" + function + "\" not defined");
                    }
                } else {
                    throw new TemplateException("template: :1: unexpected \"" + c + "\" in command");
                }
            }
        }

        private Field field(int end) {
            List<String> path = new ArrayList<>();
            int pos = i;
            while (i < end && src.charAt(i) == '.') {
                if (path.size() == 1) {
                    pos = i;
                }
                i++;
                int start = i;
                while (i < end && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                if (start == i) {
                    if (path.isEmpty() && (i >= end || src.charAt(i) == ' ' || src.charAt(i) == '|')) {
                        return new Field(List.of(), pos); // {{.}}
                    }
                    throw new TemplateException("template: :1: bad character in field name");
                }
                path.add(src.substring(start, i));
            }
            return new Field(List.copyOf(path), pos);
        }

        private String string(int end) {
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < end && src.charAt(i) != '"') {
                char c = src.charAt(i++);
                if (c == '\\' && i < end) {
                    char e = src.charAt(i++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
            }
            if (i >= end) {
                throw new TemplateException("template: :1: unterminated quoted string");
            }
            i++;
            return sb.toString();
        }

        private void skipSpaces(int end) {
            while (i < end && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
        }

        private static String describe(Operand o) {
            return o instanceof Field f ? f.text() : "\"" + ((Literal) o).value() + "\"";
        }
    }
}
