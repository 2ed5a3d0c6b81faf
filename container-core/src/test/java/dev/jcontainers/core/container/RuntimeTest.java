package dev.jcontainers.core.container;

import dev.jcontainers.testkit.RegistryTest;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A runtime test class: a {@link RegistryTest} registry holding a busybox image ({@code repo:1}, pushed
 * through {@link RuntimeFixture#pushBusybox}) and one engine on a private root, made before the class's own
 * {@code @BeforeAll} methods. After the class's {@code @AfterAll} methods the engine closes, no mount may be
 * left under its root, the class's {@link AfterClose} methods run, and the image directory and the root are
 * deleted (the root not if a mount was left under it). Needs root and skopeo (skips with
 * the reason, fails under CI=true).
 *
 * <p>Injected into static fields and parameters: the engine by its type {@code LocalEngine}, the image
 * reference where marked {@link Image}, the engine's root where marked {@link Root} (for a second engine on
 * the same root), and the registry by its type as {@code @RegistryTest} does.
 *
 * <pre>{@code
 * @RuntimeTest(repo = "pause/busybox")
 * class PauseTopTest {
 *     static LocalEngine engine;
 *     @RuntimeTest.Image static String image;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@RegistryTest
@ExtendWith(RuntimeExtension.class)
public @interface RuntimeTest {

    /** The repository the busybox image is pushed to, distinct per class (tagged {@code :1}). */
    String repo();

    /** How many layers the image has. */
    int layers() default 1;

    /** Marks a {@code String} field or parameter that receives the image reference ({@code host/repo:1}). */
    @Target({ElementType.FIELD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Image {
    }

    /**
     * Marks a static method without parameters that runs right after the engine has closed and been checked
     * for mounts left (also when that check failed), before the directories go; not when no engine was made. For cleanup that
     * must follow the close, such as removing the networks it leaves and checking what outlives them.
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface AfterClose {
    }

    /** Marks a {@code Path} field or parameter that receives the engine's root directory. */
    @Target({ElementType.FIELD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Root {
    }
}
