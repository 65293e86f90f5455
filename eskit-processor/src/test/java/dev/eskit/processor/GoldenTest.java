package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Compiles the representative domain under {@code good/} and compares every generated file, byte for byte, with
 * {@code expected/}. Run with {@code -Deskit.updateGolden=true} to rewrite the expected files after a deliberate change.
 */
class GoldenTest {

    private static final List<String> GENERATED = List.of(
            "com/acme/bank/BankEventTypes.java",
            "com/acme/bank/BankCodecs.java",
            "com/acme/bank/BankCommandTypes.java",
            "com/acme/bank/AccountDecider.java",
            "com/acme/bank/AccountDecider_Routes.java",
            "com/acme/bank/AccountSpec.java",
            "com/acme/bank/BalancesHandlers.java",
            "com/acme/bank/BalancesSpec.java");

    @Test
    void generatesTheExpectedSourcesForTheBankDomain() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("good"));
        assertThat(compilation).succeededWithoutWarnings();
        TreeMap<String, String> actual = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String path = file.toUri().getPath();
            String relative = path.substring(path.indexOf("/com/") + 1);
            actual.put(relative, file.getCharContent(true).toString());
        }
        assertEquals(new java.util.TreeSet<>(GENERATED), actual.keySet(), "generated files");
        boolean update = Boolean.getBoolean("eskit.updateGolden");
        for (String name : GENERATED) {
            Path expected = Paths.get("src/test/resources/expected").resolve(name);
            if (update) {
                Files.createDirectories(expected.getParent());
                Files.writeString(expected, actual.get(name), StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual.get(name), name);
        }
    }

    @Test
    void listsTheRegistryUnderMetaInfServices() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("good"));
        JavaFileObject services = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/services/dev.eskit.codec.EventTypeRegistry").orElseThrow();
        String text = services.getCharContent(true).toString();
        assertTrue(text.lines().anyMatch("com.acme.bank.BankEventTypes"::equals), text);
    }

    @Test
    void listsTheRouteRegistryUnderMetaInfServices() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("good"));
        JavaFileObject services = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/services/dev.eskit.command.CommandRouteRegistry").orElseThrow();
        String text = services.getCharContent(true).toString();
        assertTrue(text.lines().anyMatch("com.acme.bank.AccountDecider_Routes"::equals), text);
    }

    @Test
    void generatesTheSameOutputTwice() throws IOException {
        Compilation first = Compile.compile(Compile.resources("good"));
        Compilation second = Compile.compile(Compile.resources("good"));
        assertEquals(first.generatedSourceFiles().size(), second.generatedSourceFiles().size());
        for (int i = 0; i < first.generatedSourceFiles().size(); i++) {
            assertEquals(first.generatedSourceFiles().get(i).getCharContent(true).toString(),
                    second.generatedSourceFiles().get(i).getCharContent(true).toString());
        }
    }
}
