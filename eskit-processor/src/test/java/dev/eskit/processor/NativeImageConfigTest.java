package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** {@code META-INF/native-image/eskit/<package>/reflect-config.json} lists what databind reads by reflection. */
class NativeImageConfigTest {

    private static final String PATH = "META-INF/native-image/eskit/com.acme.mixed/reflect-config.json";

    @Test
    void listsDatabindCodecTypesAndNothingWithAGeneratedCodec() throws IOException {
        Compilation compilation = Compile.compile(List.of(
                JavaFileObjects.forSourceLines("com.acme.mixed.Generated", "package com.acme.mixed;",
                        "@dev.eskit.annotations.Event", "public record Generated(String id) {}"),
                JavaFileObjects.forSourceLines("com.acme.mixed.Opaque", "package com.acme.mixed;",
                        "@dev.eskit.annotations.Event @dev.eskit.annotations.DatabindCodec",
                        "public record Opaque(String id, Object payload) {}"),
                JavaFileObjects.forSourceLines("com.acme.mixed.Outer", "package com.acme.mixed;",
                        "public interface Outer {",
                        "  @dev.eskit.annotations.Event @dev.eskit.annotations.DatabindCodec",
                        "  record Inner(String id) {}", "}")));
        assertThat(compilation).succeeded();
        JavaFileObject file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, PATH).orElseThrow();
        String json = file.getCharContent(true).toString();
        assertEquals("""
                [
                  {"name": "com.acme.mixed.Opaque", "allDeclaredConstructors": true, "allDeclaredMethods": true, \
                "allDeclaredFields": true, "allPublicMethods": true},
                  {"name": "com.acme.mixed.Outer$Inner", "allDeclaredConstructors": true, "allDeclaredMethods": true, \
                "allDeclaredFields": true, "allPublicMethods": true}
                ]
                """, json);
    }

    @Test
    void writesNothingWhenEveryTypeHasAGeneratedCodec() {
        Compilation compilation = Compile.compile(List.of(
                JavaFileObjects.forSourceLines("com.acme.mixed.Generated", "package com.acme.mixed;",
                        "@dev.eskit.annotations.Event", "public record Generated(String id) {}")));
        assertThat(compilation).succeeded();
        assertTrue(compilation.generatedFiles().stream()
                .noneMatch(file -> file.toUri().toString().contains("native-image")));
    }

    @Test
    void typedUpcastersWithGeneratedCodecsNeedNoReflection() {
        Compilation compilation = Compile.compile(Compile.resources("good"));
        assertThat(compilation).succeeded();
        // WithdrawnUpcasts.noteToReason(WithdrawnV2) returns Withdrawn: both have generated codecs now.
        assertThat(compilation).generatedSourceFile("com.acme.bank.BankEventTypes").contentsAsUtf8String()
                .contains("Upcaster.typed(WithdrawnUpcasts.WithdrawnV2.class, WithdrawnUpcasts::noteToReason,"
                        + " BankCodecs.WITHDRAWN_UPCASTS_WITHDRAWN_V2, BankCodecs.WITHDRAWN)");
        assertTrue(compilation.generatedFiles().stream()
                .noneMatch(file -> file.toUri().toString().contains("native-image")));
    }

    @Test
    void listsTheOldRecordOfATypedUpcasterThatReturnsATree() throws IOException {
        Compilation compilation = Compile.compile(List.of(JavaFileObjects.forSourceLines("com.acme.paid.Paid",
                "package com.acme.paid;",
                "import com.fasterxml.jackson.databind.node.ObjectNode;",
                "import dev.eskit.annotations.*;",
                "@Event(version = 2) public record Paid(String id, String currency) {",
                "  public record PaidV1(String id) {}",
                "  @Upcast(event = Paid.class, from = 1)",
                "  public static ObjectNode addCurrency(PaidV1 v1) {",
                "    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()",
                "        .put(\"id\", v1.id()).put(\"currency\", \"EUR\");",
                "  }",
                "}")));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("com.acme.paid.PaidEventTypes").contentsAsUtf8String()
                .contains("Upcaster.typed(Paid.PaidV1.class, Paid::addCurrency))");
        String json = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/native-image/eskit/com.acme.paid/reflect-config.json").orElseThrow()
                .getCharContent(true).toString();
        assertTrue(json.contains("\"com.acme.paid.Paid$PaidV1\""), json);
        assertTrue(!json.contains("\"com.acme.paid.Paid\""), json);
    }

    @Test
    void anOldRecordMarkedDatabindCodecKeepsTheDatabindFormAndIsListed() throws IOException {
        // Without @DatabindCodec this is ESKIT-UPCAST-CODEC (bad/UpcastCodec.java): Object has no generated codec.
        Compilation compilation = Compile.compile(List.of(JavaFileObjects.forSourceLines("com.acme.noted.Noted",
                "package com.acme.noted;",
                "import dev.eskit.annotations.*;",
                "@Event(version = 2) public record Noted(String id, String note) {",
                "  @DatabindCodec public record NotedV1(String id, Object note) {}",
                "  @Upcast(event = Noted.class, from = 1)",
                "  public static Noted toText(NotedV1 v1) {",
                "    return new Noted(v1.id(), String.valueOf(v1.note()));",
                "  }",
                "}")));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("com.acme.noted.NotedEventTypes").contentsAsUtf8String()
                .contains("Upcaster.typed(Noted.NotedV1.class, Noted::toText))");
        String json = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/native-image/eskit/com.acme.noted/reflect-config.json").orElseThrow()
                .getCharContent(true).toString();
        assertTrue(json.contains("\"com.acme.noted.Noted$NotedV1\""), json);
    }
}
