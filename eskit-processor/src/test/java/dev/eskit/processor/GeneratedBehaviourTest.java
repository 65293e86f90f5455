package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.eskit.Decider;
import dev.eskit.UnknownCommandException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time behaviour of a generated decider whose command and event types are open (not sealed): an unknown command
 * throws {@link UnknownCommandException}, an event without {@code @Evolve} leaves the state unchanged. (The sample
 * module covers the sealed case end to end.)
 */
class GeneratedBehaviourTest {

    private static final JavaFileObject SOURCE = JavaFileObjects.forSourceLines("open.Tally",
            "package open;",
            "import dev.eskit.annotations.*;",
            "import java.util.List;",
            "interface Cmd {}",
            "interface Evt {}",
            "record Add(@StreamId String id) implements Cmd {}",
            "record Ignored(@StreamId String id) implements Cmd {}",
            "@Event record Added(String id) implements Evt {}",
            "@Event record Noted(String id) implements Evt {}",
            "@Decider(stream = \"tally\", commands = Cmd.class, events = Evt.class)",
            "final class Tally {",
            "  @InitialState static Integer initial() { return 0; }",
            "  @Decide static List<Evt> add(Integer n, Add c) { return List.of(new Added(c.id())); }",
            "  @Evolve static Integer added(Integer n, Added e) { return n + 1; }",
            "}",
            "public final class Samples {",
            "  public static final class UnknownCommand implements java.util.function.Supplier<Object> {",
            "    public Object get() { return new Ignored(\"x\"); }",
            "  }",
            "  public static final class UnhandledEvent implements java.util.function.Supplier<Object> {",
            "    public Object get() { return new Noted(\"x\"); }",
            "  }",
            "  public static final class AddCommand implements java.util.function.Supplier<Object> {",
            "    public Object get() { return new Add(\"x\"); }",
            "  }",
            "}");

    @Test
    @SuppressWarnings("unchecked")
    void openTypesRejectUnknownCommandsAndIgnoreUnhandledEvents(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null,
                    List.of("-d", dir.toString(), "-s", dir.toString(), "-Aeskit.schemaLock=none", "-classpath",
                            System.getProperty("java.class.path")), null,
                    List.of(JavaFileObjects.forSourceLines("open.Samples", sourceLines())));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                GeneratedBehaviourTest.class.getClassLoader())) {
            Decider<Object, Object, Object> decider = (Decider<Object, Object, Object>) loader
                    .loadClass("open.TallyDecider").getConstructor().newInstance();
            Object unknown = supplier(loader, "UnknownCommand").get();
            UnknownCommandException failure = assertThrows(UnknownCommandException.class,
                    () -> decider.decide(0, unknown));
            assertTrue(failure.getMessage().contains("open.Ignored"), failure.getMessage());
            assertEquals(0, decider.evolve(0, supplier(loader, "UnhandledEvent").get()));
            List<Object> events = decider.decide(0, supplier(loader, "AddCommand").get());
            assertEquals(1, events.size());
            assertEquals(1, decider.fold(events));
        }
    }

    private static String[] sourceLines() throws Exception {
        return SOURCE.getCharContent(true).toString().split("\n");
    }

    @SuppressWarnings("unchecked")
    private static Supplier<Object> supplier(ClassLoader loader, String name) throws Exception {
        return (Supplier<Object>) loader.loadClass("open.Samples$" + name).getConstructor().newInstance();
    }
}
