package dev.jcontainers.oci.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235 section 4.1): a scheme and either
 * auth-params ({@code Bearer realm="...",service="..."}) or a token68. Parameter names are lower-cased,
 * values are unquoted. Registries put commas inside quoted scopes ({@code "repository:a:pull,push"}) and
 * one header may carry several challenges, so this is a small tokenizer rather than a split on commas.
 */
record AuthChallenge(String scheme, Map<String, String> params, String token68) {

    AuthChallenge {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    boolean is(String otherScheme) {
        return scheme.equalsIgnoreCase(otherScheme);
    }

    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Parses every challenge in the given header values; unparseable remainders are dropped. */
    static List<AuthChallenge> parseAll(List<String> headerValues) {
        List<AuthChallenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all;
    }

    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Parser p = new Parser(header);
        while (true) {
            p.skipSeparators();
            if (p.atEnd()) {
                return challenges;
            }
            String scheme = p.token();
            if (scheme.isEmpty()) {
                return challenges; // garbage where a scheme should be
            }
            Map<String, String> params = new LinkedHashMap<>();
            String token68 = null;
            p.skipSpaces();
            int paramsStart = p.pos;
            String first = p.token68();
            p.skipSpaces();
            if (!first.isEmpty() && (p.atEnd() || p.peek() == ',') && !isParamStart(header, paramsStart)) {
                token68 = first;
            } else {
                p.pos = paramsStart;
                readParams(p, params);
            }
            challenges.add(new AuthChallenge(scheme, params, token68));
        }
    }

    /** True when text at {@code at} reads {@code name BWS = BWS value}, not a token68 ending in '='. */
    private static boolean isParamStart(String text, int at) {
        Parser p = new Parser(text);
        p.pos = at;
        if (p.token().isEmpty()) {
            return false;
        }
        p.skipSpaces();
        if (p.atEnd() || p.peek() != '=') {
            return false;
        }
        p.pos++;
        p.skipSpaces();
        return !p.atEnd() && p.peek() != ',' && p.peek() != '=';
    }

    private static void readParams(Parser p, Map<String, String> params) {
        while (true) {
            p.skipSpaces();
            int start = p.pos;
            String name = p.token();
            p.skipSpaces();
            if (name.isEmpty() || p.atEnd() || p.peek() != '=') {
                p.pos = start; // the next challenge's scheme (or junk): leave it to the caller
                return;
            }
            p.pos++;
            p.skipSpaces();
            String value = !p.atEnd() && p.peek() == '"' ? p.quotedString() : p.token();
            params.put(name.toLowerCase(Locale.ROOT), value);
            p.skipSpaces();
            if (p.atEnd() || p.peek() != ',') {
                return;
            }
            // After a comma comes either another param of this challenge or a new challenge.
            int afterComma = p.pos;
            p.skipSeparators();
            if (!isParamStart(p.text, p.pos)) {
                p.pos = afterComma;
                return;
            }
        }
    }

    private static final class Parser {
        final String text;
        int pos;

        Parser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        void skipSpaces() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        void skipSeparators() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd() && isTchar(peek())) {
                pos++;
            }
            return text.substring(start, pos);
        }

        /** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
        String token68() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || "-._~+/".indexOf(peek()) >= 0)) {
                pos++;
            }
            if (pos == start) {
                return "";
            }
            while (!atEnd() && peek() == '=') {
                pos++;
            }
            return text.substring(start, pos);
        }

        /** A quoted-string with backslash escapes; an unterminated one runs to the end of the header. */
        String quotedString() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && !atEnd()) {
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            return out.toString();
        }

        private static boolean isTchar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }
    }
}
