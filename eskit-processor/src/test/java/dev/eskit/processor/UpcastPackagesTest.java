package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Upcasters in another package than their event: the generated registry must be able to call them. */
class UpcastPackagesTest {

    private static final JavaFileObject EVENT = JavaFileObjects.forSourceLines("shop.Paid",
            "package shop;",
            "import dev.eskit.annotations.*;",
            "@Event(version = 2)",
            "public record Paid(String id, String currency) {}");

    private static JavaFileObject upcasts(String methodModifiers, String classModifiers) {
        return JavaFileObjects.forSourceLines("shop.upcasts.PaidUpcasts",
                "package shop.upcasts;",
                "import com.fasterxml.jackson.databind.node.ObjectNode;",
                "import dev.eskit.annotations.*;",
                "import shop.Paid;",
                classModifiers + " final class PaidUpcasts {",
                "  @Upcast(event = Paid.class, from = 1)",
                "  " + methodModifiers + " static ObjectNode addCurrency(ObjectNode v1) {",
                "    return v1.put(\"currency\", \"EUR\");",
                "  }",
                "}");
    }

    private static Compilation compile(JavaFileObject upcasts) {
        return javac().withProcessors(new EskitProcessor()).compile(EVENT, upcasts);
    }

    @Test
    void aPublicUpcasterInAPublicClassOfAnotherPackageIsWiredIn() {
        Compilation compilation = compile(upcasts("public", "public"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("shop.ShopEventTypes").contentsAsUtf8String()
                .contains("1, PaidUpcasts::addCurrency)");
    }

    @Test
    void aPackagePrivateUpcasterInAnotherPackageIsNotAccessible() {
        JavaFileObject upcasts = upcasts("", "public");
        Compilation compilation = compile(upcasts);
        assertThat(compilation).hadErrorContaining("[ESKIT-NOT-ACCESSIBLE] Generated code calls @Upcast method"
                + " \"addCurrency\" from package \"shop\", but it is not public and in package \"shop.upcasts\"."
                + " Make it public, or move it to package \"shop\".").inFile(upcasts)
                .onLineContaining("static ObjectNode addCurrency");
    }

    @Test
    void aPublicUpcasterInAPackagePrivateClassOfAnotherPackageIsNotAccessible() {
        JavaFileObject upcasts = upcasts("public", "");
        Compilation compilation = compile(upcasts);
        assertThat(compilation).hadErrorContaining("[ESKIT-NOT-ACCESSIBLE] Generated code calls class"
                + " \"shop.upcasts.PaidUpcasts\" from package \"shop\", but it is not public");
    }
}
