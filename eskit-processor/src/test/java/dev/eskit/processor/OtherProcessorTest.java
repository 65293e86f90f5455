package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Another processor generates the command a decider takes and an event in the same package: the decider is deferred
 * until the command exists, and the generated event gets its own registry in the later round.
 */
class OtherProcessorTest {

    /** Generates {@code other.Ping} (a command) and {@code other.Ponged} (an {@code @Event}) in its first round. */
    static final class GeneratingProcessor extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (done) {
                return false;
            }
            done = true;
            write("other.Ping", "package other;\n"
                    + "public record Ping(@dev.eskit.annotations.StreamId String id) {}\n");
            write("other.Ponged", "package other;\n"
                    + "@dev.eskit.annotations.Event public record Ponged(String id) implements PingEvent {}\n");
            return false;
        }

        private void write(String name, String source) {
            try {
                JavaFileObject file = processingEnv.getFiler().createSourceFile(name);
                try (Writer writer = file.openWriter()) {
                    writer.write(source);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final JavaFileObject DECIDER = JavaFileObjects.forSourceLines("other.Pinger",
            "package other;",
            "import dev.eskit.annotations.*;",
            "sealed interface PingEvent permits Pinged, Ponged {}",
            "@Event record Pinged(String id) implements PingEvent {}",
            "@Decider(stream = \"pinger\")",
            "final class Pinger {",
            "  @InitialState static Integer initial() { return 0; }",
            "  @Decide static Pinged ping(Integer n, Ping c) { return new Pinged(c.id()); }",
            "  @Evolve static Integer pinged(Integer n, Pinged e) { return n + 1; }",
            "  @Evolve static Integer ponged(Integer n, Ponged e) { return n; }",
            "}");

    @Test
    void worksWhenAnotherProcessorGeneratesTypesTheDeciderNeeds() {
        Compilation compilation = Compile.compile(List.of(DECIDER), new GeneratingProcessor());
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("other.PingerDecider");
        assertThat(compilation).generatedSourceFile("other.PingerSpec");
        assertThat(compilation).generatedSourceFile("other.OtherEventTypes");
        assertThat(compilation).generatedSourceFile("other.OtherEventTypes_2");
    }
}
