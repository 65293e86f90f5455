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
 * A typed upcaster whose old record another processor generates: the event waits for it, and its registry is written
 * once, in the later round, with the whole chain.
 */
class UpcastRoundsTest {

    /** Generates {@code shop.PaidV1} in its first round. */
    static final class OldShapeProcessor extends AbstractProcessor {
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
            try {
                JavaFileObject file = processingEnv.getFiler().createSourceFile("shop.PaidV1");
                try (Writer writer = file.openWriter()) {
                    writer.write("package shop;\npublic record PaidV1(String id) {}\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return false;
        }
    }

    private static final JavaFileObject SOURCE = JavaFileObjects.forSourceLines("shop.Paid",
            "package shop;",
            "import dev.eskit.annotations.*;",
            "@Event(version = 2) record Paid(String id, String currency) {}",
            "final class PaidUpcasts {",
            "  @Upcast(event = Paid.class, from = 1)",
            "  static Paid addCurrency(PaidV1 v1) { return new Paid(v1.id(), \"EUR\"); }",
            "}");

    @Test
    void theEventWaitsForTheOldRecordAndGetsItsWholeChain() {
        Compilation compilation = Compile.compile(List.of(SOURCE), new OldShapeProcessor());
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("shop.ShopEventTypes").contentsAsUtf8String()
                .contains("1, Upcaster.typed(PaidV1.class, PaidUpcasts::addCurrency, ShopCodecs.PAID_V1,"
                        + " ShopCodecs.PAID))");
    }

    @Test
    void anOldRecordThatNeverAppearsIsReported() {
        Compilation compilation = Compile.compile(List.of(SOURCE));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[ESKIT-TYPE-UNRESOLVED] eskit needs every type that"
                + " \"shop.PaidUpcasts.addCurrency(PaidV1)\" refers to, but \"PaidV1\" does not exist");
    }
}
