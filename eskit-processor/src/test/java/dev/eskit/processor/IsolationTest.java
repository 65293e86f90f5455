package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One bad type fails the build with its own errors, and every other type still generates. */
class IsolationTest {

    private static final JavaFileObject GOOD = JavaFileObjects.forSourceLines("iso.Counter",
            "package iso;",
            "import dev.eskit.annotations.*;",
            "import java.util.List;",
            "sealed interface CounterCommand permits Increment, Reset {}",
            "record Increment(@StreamId String id) implements CounterCommand {}",
            "record Reset(@StreamId String id) implements CounterCommand {}",
            "sealed interface CounterEvent permits Incremented {}",
            "@Event record Incremented(String id) implements CounterEvent {}",
            "@Decider(stream = \"counter\")",
            "final class Counter {",
            "  @InitialState static Integer initial() { return 0; }",
            "  @Decide static Incremented decide(Integer n, Increment c) { return new Incremented(c.id()); }",
            "  @Decide static List<Incremented> decide(Integer n, Reset c) { return List.of(); }",
            "  @Evolve static Integer evolve(Integer n, Incremented e) { return n + 1; }",
            "}");

    private static final JavaFileObject BAD = JavaFileObjects.forSourceLines("iso.Broken",
            "package iso;",
            "import dev.eskit.annotations.*;",
            "@Decider(stream = \"broken\")",
            "final class Broken {",
            "  @Decide static Incremented increment(Integer n, Increment c) { return new Incremented(c.id()); }",
            "}");

    @Test
    void aBrokenDeciderFailsWhileAValidOneStillGenerates(@TempDir Path dir) throws IOException {
        // compile-testing hides generated files of failed compilations, so this one runs javac directly.
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createDirectories(dir.resolve("out"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-s", out.toString(), "-classpath",
                            System.getProperty("java.class.path")), null, List.of(GOOD, BAD));
            task.setProcessors(List.of(new EskitProcessor()));
            assertFalse(task.call());
        }
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                .toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("Broken.java:3: [ESKIT-INITIAL-STATE-MISSING]"), errors.get(0));
        for (String generated : List.of("CounterDecider", "CounterSpec", "IsoEventTypes")) {
            assertTrue(Files.exists(out.resolve("iso/" + generated + ".java")), generated);
        }
        assertFalse(Files.exists(out.resolve("iso/BrokenDecider.java")));
    }

    @Test
    void aValidDeciderAloneCompilesCleanly() {
        assertThat(Compile.compile(List.of(GOOD))).succeededWithoutWarnings();
    }
}
