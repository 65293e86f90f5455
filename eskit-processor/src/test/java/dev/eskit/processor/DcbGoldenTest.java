package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Compiles the course-subscription domain under {@code dcbgood/} (tagged events and a {@code @DcbDecider}) and
 * compares the generated files with {@code dcbexpected/}. Run with {@code -Deskit.updateGolden=true} to rewrite them.
 */
class DcbGoldenTest {

    private static final List<String> GENERATED = List.of(
            "com/acme/courses/CoursesEventTypes.java",
            "com/acme/courses/CoursesCodecs.java",
            "com/acme/courses/CoursesCommandTypes.java",
            "com/acme/courses/SubscribeDecider.java",
            "com/acme/courses/SubscribeSpec.java");

    @Test
    void generatesTagExtractorsAndTheBoundaryQuery() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("dcbgood"));
        assertThat(compilation).succeededWithoutWarnings();
        TreeMap<String, String> actual = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String path = file.toUri().getPath();
            actual.put(path.substring(path.indexOf("/com/") + 1), file.getCharContent(true).toString());
        }
        assertEquals(new java.util.TreeSet<>(GENERATED), actual.keySet(), "generated files");
        boolean update = Boolean.getBoolean("eskit.updateGolden");
        for (String name : GENERATED) {
            Path expected = Paths.get("src/test/resources/dcbexpected").resolve(name);
            if (update) {
                Files.createDirectories(expected.getParent());
                Files.writeString(expected, actual.get(name), StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual.get(name), name);
        }
    }
}
