package dev.jcontainers.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one {@link RegistryServer} for the annotated test class and stops it after the class.
 * The server is injected into static fields of type {@code RegistryServer} and into parameters of
 * that type (constructors, lifecycle and test methods).
 *
 * <pre>{@code
 * @RegistryTest(mode = RegistryMode.TOKEN)
 * class PullTest {
 *     @Test void pulls(RegistryServer registry) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RegistryExtension.class)
public @interface RegistryTest {

    RegistryMode mode() default RegistryMode.PLAIN;

    /** The accepted user in BASIC and TOKEN mode. */
    String username() default "alice";

    String password() default "secret";

    /** Serve HTTPS even in PLAIN or BASIC mode (TOKEN mode always does). */
    boolean tls() default false;
}
