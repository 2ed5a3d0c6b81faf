package dev.jcontainers.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Declares options and parameters of a picocli {@link CommandSpec} in code, each bound to a field through a
 * getter and a setter: picocli's programmatic model. The verbs a cold start parses ({@code jc}, {@code run},
 * {@code create}) are declared this way rather than with annotations: reading an annotation spins a
 * {@code jdk.proxy} class per annotation type and picocli then reads and writes each annotated field through a
 * reflective accessor built of method handles, none of which the JVM's AOT cache can hold (benchmarks/RESULTS.md
 * §9x). The help text is picocli's, from the same attributes the annotations would give.
 */
final class SpecBuilder {
    private final CommandSpec spec;

    SpecBuilder(CommandSpec spec) {
        this.spec = spec;
    }

    /** An option; unlike {@code @Option}, which defaults it to {@code <field>}, give a value's label. */
    Arg option(String... names) {
        return new Arg(names, null);
    }

    /** A positional parameter at {@code index} ({@code "0"}, {@code "1..*"}). */
    Arg positional(String index) {
        return new Arg(null, index);
    }

    /** One option or parameter being declared; a terminal method binds it to its field and adds it. */
    final class Arg {
        private final String[] names;
        private final String index;
        private String label;
        private String description = "";
        private ScopeType scope = ScopeType.LOCAL;
        private boolean usageHelp;
        private boolean versionHelp;

        private Arg(String[] names, String index) {
            this.names = names;
            this.index = index;
        }

        Arg label(String paramLabel) {
            label = paramLabel;
            return this;
        }

        Arg description(String text) {
            description = text;
            return this;
        }

        /** Also an option of every subcommand. */
        Arg inherited() {
            scope = ScopeType.INHERIT;
            return this;
        }

        /** {@code -h}: prints the usage help of the command it is given to. */
        void usageHelp() {
            usageHelp = true;
            flag(() -> false, requested -> { });
        }

        /** {@code -V}: prints the command's version. */
        void versionHelp() {
            versionHelp = true;
            flag(() -> false, requested -> { });
        }

        /** A flag without a value: {@code true} when given. */
        void flag(Supplier<Boolean> get, Consumer<Boolean> set) {
            add(boolean.class, null, get, set);
        }

        /** A single value of {@code type}, converted by picocli's built-in converters; the last one given wins. */
        <T> void value(Class<T> type, Supplier<T> get, Consumer<T> set) {
            add(type, null, get, set);
        }

        /** A value each time the option is given, in order. */
        <E> void list(Class<E> element, Supplier<List<E>> get, Consumer<List<E>> set) {
            add(List.class, element, get, set);
        }


        private <T> void add(Class<?> type, Class<?> element, Supplier<T> get, Consumer<T> set) {
            Binding<T> binding = new Binding<>(get, set);
            Class<?>[] auxiliary = element == null ? new Class<?>[] {type} : new Class<?>[] {element};
            // the field's value as picocli's initial value, which it restores before each parse (as for a field)
            if (index == null) {
                OptionSpec.Builder option = OptionSpec.builder(names).usageHelp(usageHelp).versionHelp(versionHelp)
                        .description(description).scopeType(scope).type(type).auxiliaryTypes(auxiliary)
                        .getter(binding).setter(binding).initialValue(get.get());
                spec.addOption((label == null ? option : option.paramLabel(label)).build());
            } else {
                PositionalParamSpec.Builder positional = PositionalParamSpec.builder().index(index)
                        .description(description).scopeType(scope).type(type).auxiliaryTypes(auxiliary)
                        .getter(binding).setter(binding).initialValue(get.get());
                // as @Parameters: one and required, or any number for a list
                positional.arity(element == null ? "1" : "0..*").required(element == null);
                spec.addPositional((label == null ? positional : positional.paramLabel(label)).build());
            }
        }
    }

    /** A value held in a field, read and written through the field's accessors: no reflection. */
    private record Binding<T>(Supplier<T> getter, Consumer<T> setter) implements IGetter, ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <R> R get() {
            return (R) getter.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R set(R value) {
            R old = get();
            setter.accept((T) value);
            return old;
        }
    }
}
