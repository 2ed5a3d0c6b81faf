import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the shaded {@code jc.jar}: rewrites class files older than Java 6 (version 50) as version 52
 * with stack map frames, in place. Why: the JDK's AOT cache (and CDS) skips pre-50 class files, so picocli
 * (compiled for Java 5) was loaded, verified by the old type-inferencing verifier and linked from the jar on
 * every cold {@code jc} start. The bytecode is unchanged; only the version and the frames the split verifier
 * needs are added, computed over the jar's own class hierarchy, and each rewritten class is verified.
 *
 * <p>Usage (source launcher, JDK 24+): {@code java ModernClassFiles.java JAR}
 */
public final class ModernClassFiles {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int rewritten = 0;
        try (URLClassLoader hierarchy = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(hierarchy))));
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    // transforming every method body makes the builder regenerate its code, and with it the frames
                    bytes = classFile.transformClass(classFile.parse(bytes),
                            ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                    .andThen(ClassTransform.endHandler(b -> b.withVersion(JAVA_8, 0))));
                    List<VerifyError> errors = classFile.verify(bytes); // as the JVM's split verifier will
                    if (!errors.isEmpty()) {
                        throw new IllegalStateException(entry.getName() + " does not verify after rewriting: " + errors);
                    }
                    rewritten++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ModernClassFiles: " + rewritten + " class files of " + jar.getFileName()
                + " rewritten as version " + JAVA_8);
    }

    private static int majorVersion(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | (classFile[7] & 0xff);
    }
}
