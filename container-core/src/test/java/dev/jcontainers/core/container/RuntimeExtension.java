package dev.jcontainers.core.container;

import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.testkit.RegistryExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The JUnit 5 side of {@link RuntimeTest}. The engine closes in {@code afterAll}, after the class's own
 * {@code @AfterAll} methods; then the class's {@link RuntimeTest.AfterClose} methods run (when the engine was
 * made), and the directories go last: the order of the hand-written teardowns this replaces.
 */
public final class RuntimeExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RuntimeExtension.class);
    private static final String KEY = "runtime";

    /** What one class gets; {@code engine} and {@code image} stay null until the push and the engine succeed. */
    private static final class ClassRuntime {
        Path fixtures;
        Path root;
        String image;
        LocalEngine engine;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, IllegalAccessException {
        ClassRuntime enclosing = context.getStore(NAMESPACE).get(KEY, ClassRuntime.class);
        if (enclosing != null) { // a @Nested class shares its enclosing class's runtime (and does not close it)
            inject(context.getRequiredTestClass(), enclosing);
            return;
        }
        RuntimeTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RuntimeTest.class)
                .orElseThrow(() -> new IllegalStateException(context.getDisplayName() + " is not a @RuntimeTest"));
        ClassRuntime runtime = new ClassRuntime();
        context.getStore(NAMESPACE).put(KEY, runtime); // before anything that can fail: afterAll cleans up
        runtime.fixtures = Files.createTempDirectory("jc-fixtures-");
        runtime.root = Files.createTempDirectory("jc-root-");
        runtime.image = RuntimeFixture.pushBusybox(RegistryExtension.registry(context), runtime.fixtures,
                settings.repo(), settings.layers());
        runtime.engine = RuntimeFixture.engine(runtime.root);
        inject(context.getRequiredTestClass(), runtime);
    }

    private static void inject(Class<?> testClass, ClassRuntime runtime) throws IllegalAccessException {
        for (Field field : ReflectionSupport.findFields(testClass,
                f -> Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN)) {
            if (injectable(field.getType(), field)) {
                field.setAccessible(true);
                field.set(null, valueFor(field.getType(), runtime));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ClassRuntime runtime = context.getStore(NAMESPACE).remove(KEY, ClassRuntime.class); // this level's only
        if (runtime == null) {
            return;
        }
        try {
            try {
                RuntimeFixture.close(runtime.engine, runtime.root); // unmounts what was left, then fails
            } finally {
                if (runtime.engine != null) {
                    afterClose(context.getRequiredTestClass());
                }
            }
        } finally {
            deleteTree(runtime.fixtures);
            Path root = runtime.root;
            if (root != null && MountInfo.self().stream().noneMatch(m -> m.mountPoint().startsWith(root))) {
                deleteTree(root); // never through a mount
            }
        }
    }

    /** The class's {@link RuntimeTest.AfterClose} methods, superclass ones first. */
    private static void afterClose(Class<?> testClass) {
        for (Method method : AnnotationSupport.findAnnotatedMethods(testClass, RuntimeTest.AfterClose.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0) {
                throw new IllegalStateException("@RuntimeTest.AfterClose method " + method
                        + " must be static, without parameters");
            }
            ReflectionSupport.invokeMethod(method, null);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return injectable(parameter.getParameter().getType(), parameter.getParameter());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClassRuntime runtime = context.getStore(NAMESPACE).get(KEY, ClassRuntime.class);
        if (runtime == null) {
            throw new ParameterResolutionException("no runtime set up for " + context.getDisplayName());
        }
        return valueFor(parameter.getParameter().getType(), runtime);
    }

    /** The engine by its type, the image and the root where marked. */
    private static boolean injectable(Class<?> type, AnnotatedElement element) {
        return type == LocalEngine.class
                || type == String.class && element.isAnnotationPresent(RuntimeTest.Image.class)
                || type == Path.class && element.isAnnotationPresent(RuntimeTest.Root.class);
    }

    private static Object valueFor(Class<?> type, ClassRuntime runtime) {
        return type == LocalEngine.class ? runtime.engine : type == String.class ? runtime.image : runtime.root;
    }

    private static void deleteTree(Path top) {
        if (top == null || !Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + top, e);
        }
    }
}
