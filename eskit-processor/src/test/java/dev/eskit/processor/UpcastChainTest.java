package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: JSON stored by versions 1 and 2 of an event (also under its former wire name) is decoded as version 3
 * through the chain the processor generated from a JSON-form and a typed upcaster, discovered like at run time.
 */
class UpcastChainTest {

    private static final JavaFileObject SOURCE = JavaFileObjects.forSourceLines("shop.Paid",
            "package shop;",
            "import com.fasterxml.jackson.databind.node.ObjectNode;",
            "import dev.eskit.annotations.*;",
            "@Event(name = \"shop.Paid\", version = 3, aliases = {\"shop.PaymentReceived\"})",
            "public record Paid(String id, Money amount, String note) {}",
            "record Money(long cents, String currency) {}",
            "final class PaidUpcasts {",
            "  /** Version 2: flat cents and currency. */",
            "  record PaidV2(String id, long cents, String currency) {}",
            "  /** Version 1 had no currency. */",
            "  @Upcast(event = Paid.class, from = 1)",
            "  static ObjectNode addCurrency(ObjectNode v1) { return v1.put(\"currency\", \"EUR\"); }",
            "  /** Version 3 nests the amount. */",
            "  @Upcast(event = Paid.class, from = 2)",
            "  static Paid nest(PaidV2 v2) {",
            "    return new Paid(v2.id(), new Money(v2.cents(), v2.currency()), \"upcast\");",
            "  }",
            "}");

    @Test
    void storedVersionOneAndTwoJsonDecodesAsVersionThree(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path lock = dir.resolve("schema.lock");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-s", out.toString(), "-Aeskit.schemaLock=" + lock,
                            "-classpath", System.getProperty("java.class.path")), null, List.of(SOURCE));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call(), diagnostics.getDiagnostics().toString());
        }
        assertTrue(diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.WARNING),
                diagnostics.getDiagnostics().toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
                UpcastChainTest.class.getClassLoader())) {
            EventTypes types = EventTypes.discover(loader);
            EventType<?> paid = types.byName("shop.Paid");
            assertEquals(3, paid.version());
            assertEquals(Set.of(1, 2), paid.upcasters().keySet());
            JsonEventCodec codec = JsonEventCodec.create(types);

            Object fromV1 = codec.decode("shop.Paid", 1, json("{\"id\":\"p-1\",\"cents\":1250}"));
            assertEquals("Paid[id=p-1, amount=Money[cents=1250, currency=EUR], note=upcast]", fromV1.toString());
            // Stored under the former wire name, with version 2 JSON.
            Object fromV2 = codec.decode("shop.PaymentReceived", 2,
                    json("{\"id\":\"p-2\",\"cents\":7,\"currency\":\"USD\"}"));
            assertEquals("Paid[id=p-2, amount=Money[cents=7, currency=USD], note=upcast]", fromV2.toString());
            assertEquals(paid.javaType(), fromV2.getClass());
            // The current version is read without upcasting and survives a round trip.
            Object current = codec.decode("shop.Paid", 3,
                    json("{\"id\":\"p-3\",\"amount\":{\"cents\":1,\"currency\":\"CHF\"},\"note\":\"new\"}"));
            assertEquals("Paid[id=p-3, amount=Money[cents=1, currency=CHF], note=new]", current.toString());
            assertEquals(current, codec.decode("shop.Paid", 3, codec.encode(current).data()));
        }
        assertEquals("""
                event shop.Paid version 3 class shop.Paid
                  amount: shop.Money
                  amount.cents: long
                  amount.currency: java.lang.String
                  id: java.lang.String
                  note: java.lang.String
                """, Files.readString(lock).substring(Files.readString(lock).indexOf("event ")));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
