package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.gdpr.DataSubjectMissingException;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalDataRegistry;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.SubjectKeys;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated {@code <Package>PersonalData} encrypts exactly the {@code @PersonalData} fields, per subject. */
class PersonalDataGeneratedTest {

    private static final String[] SOURCE = {
        "package crm;",
        "import dev.eskit.annotations.*;",
        "@Event record Registered(@DataSubject String customerId, @PersonalData String email,",
        "    @PersonalData Integer age, String plan) {}",
        "@Event record Referred(String customerId, String friendId,",
        "    @PersonalData(subject = \"friendId\") String friendEmail) {}",
        "@Event record Upgraded(String customerId, String plan) {}",
        "public final class Samples implements java.util.function.Function<String, Object> {",
        "  public Object apply(String which) {",
        "    return switch (which) {",
        "      case \"ann\" -> new Registered(\"c-1\", \"ann@example.com\", 41, \"gold\");",
        "      case \"bob\" -> new Registered(\"c-2\", \"bob@example.com\", 33, \"free\");",
        "      case \"referral\" -> new Referred(\"c-2\", \"c-1\", \"ann@example.com\");",
        "      case \"nobody\" -> new Registered(null, \"x@example.com\", 1, \"free\");",
        "      default -> new Upgraded(\"c-1\", \"platinum\");",
        "    };",
        "  }",
        "}"};

    @Test
    @SuppressWarnings("unchecked")
    void generatedCodeEncryptsPersonalFieldsAndForgettingErasesOnlyThatSubject(@TempDir Path dir)
            throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null,
                    List.of("-d", dir.toString(), "-s", dir.toString(), "-classpath",
                            System.getProperty("java.class.path")), null,
                    List.of(JavaFileObjects.forSourceLines("crm.Samples", SOURCE)));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call());
        }
        String services = Files.readString(dir.resolve("META-INF/services/dev.eskit.gdpr.PersonalDataRegistry"));
        assertEquals(List.of("crm.CrmPersonalData"), services.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> !l.isBlank()).toList());
        String generated = Files.readString(dir.resolve("crm/CrmPersonalData.java"));
        assertFalse(generated.contains("reflect"), generated);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            PersonalDataRegistry personal = (PersonalDataRegistry) loader.loadClass("crm.CrmPersonalData")
                    .getConstructor().newInstance();
            EventTypeRegistry registry = (EventTypeRegistry) loader.loadClass("crm.CrmEventTypes")
                    .getConstructor().newInstance();
            Function<String, Object> samples = (Function<String, Object>) loader.loadClass("crm.Samples")
                    .getConstructor().newInstance();
            assertEquals(java.util.Set.of("crm.Registered", "crm.Referred"), personal.eventTypes());

            SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m"));
            JsonEventCodec codec = PersonalDataProtector.create(keys, personal).codec(EventTypes.of(registry));
            EncodedEvent ann = codec.encode(samples.apply("ann"));
            EncodedEvent bob = codec.encode(samples.apply("bob"));
            EncodedEvent referral = codec.encode(samples.apply("referral"));
            EncodedEvent upgrade = codec.encode(samples.apply("upgrade"));
            String annJson = new String(ann.data(), StandardCharsets.UTF_8);
            assertFalse(annJson.contains("ann@example.com"), annJson);
            assertTrue(annJson.contains("\"plan\":\"gold\""), annJson);
            assertFalse(new String(referral.data(), StandardCharsets.UTF_8).contains("ann@example.com"));
            assertEquals("{\"customerId\":\"c-1\",\"plan\":\"platinum\"}",
                    new String(upgrade.data(), StandardCharsets.UTF_8));
            assertEquals(samples.apply("ann"), codec.decode(ann.type(), 1, ann.data()));
            assertEquals(samples.apply("referral"), codec.decode(referral.type(), 1, referral.data()));

            keys.forget("c-1");
            assertEquals("Registered[customerId=c-1, email=[erased], age=null, plan=gold]",
                    codec.decode(ann.type(), 1, ann.data()).toString());
            // The referral is stored by customer c-2 but the friend's e-mail belongs to c-1: it is erased too.
            assertEquals("Referred[customerId=c-2, friendId=c-1, friendEmail=[erased]]",
                    codec.decode(referral.type(), 1, referral.data()).toString());
            assertEquals(samples.apply("bob"), codec.decode(bob.type(), 1, bob.data()));
            assertThrows(DataSubjectMissingException.class, () -> codec.encode(samples.apply("nobody")));
        }
    }
}
