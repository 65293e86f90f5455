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
    void listsTheRecordsATypedUpcasterReadsAndReturns() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("good"));
        assertThat(compilation).succeeded();
        String json = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/native-image/eskit/com.acme.bank/reflect-config.json").orElseThrow()
                .getCharContent(true).toString();
        // WithdrawnUpcasts.noteToReason(WithdrawnV2) returns Withdrawn: both go through databind.
        assertTrue(json.contains("\"com.acme.bank.WithdrawnUpcasts$WithdrawnV2\""), json);
        assertTrue(json.contains("\"com.acme.bank.Withdrawn\""), json);
        assertTrue(!json.contains("Deposited"), json);
    }
}
