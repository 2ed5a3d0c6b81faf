package dev.jcontainers.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 side of {@link RegistryTest}: one registry per test class, kept in the class's
 * extension store (which closes it after the class) and shared with {@code @Nested} classes.
 */
public final class RegistryExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryExtension.class);
    private static final String KEY = "registry";

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        RegistryServer server = registry(context);
        for (Field field : ReflectionSupport.findFields(context.getRequiredTestClass(),
                f -> Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())
                        && f.getType() == RegistryServer.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            field.setAccessible(true);
            field.set(null, server);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RegistryServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RegistryServer server = context.getStore(NAMESPACE).get(KEY, RegistryServer.class);
        if (server == null) {
            throw new ParameterResolutionException("no registry started for " + context.getDisplayName());
        }
        return server;
    }

    /**
     * The registry of this class or an enclosing one; starts it on first use. For extensions that build on
     * the registry (they need not be registered after this one).
     */
    public static RegistryServer registry(ExtensionContext context) {
        RegistryServer existing = context.getStore(NAMESPACE).get(KEY, RegistryServer.class);
        if (existing != null) {
            return existing;
        }
        RegistryTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RegistryTest.class)
                .orElseGet(() -> DefaultSettings.class.getAnnotation(RegistryTest.class));
        RegistryServer server = RegistryServer.builder().mode(settings.mode())
                .credentials(settings.username(), settings.password()).tls(settings.tls()).start();
        // The store closes AutoCloseable values when the class finishes.
        context.getStore(NAMESPACE).put(KEY, server);
        return server;
    }

    /** Carries the annotation defaults for classes that use {@code @ExtendWith(RegistryExtension.class)} directly. */
    @RegistryTest
    private static final class DefaultSettings {
    }
}
