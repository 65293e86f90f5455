package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.eskit.processor.diag.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands get the checks events get: {@code @Command} names and versions, their shapes in the schema lock, and
 * {@code @CommandUpcast} chains from every older version.
 */
class CommandSchemaTest {

    /** The {@link Message} constants these tests trigger (counted by {@link BadInputTest#everyMessageHasANegativeTest}). */
    static final Set<Message> COVERED = EnumSet.of(Message.COMMAND_VERSION, Message.COMMAND_UPCAST,
            Message.COMMAND_SCHEMA_CHANGED);

    private static final String DECIDER = """
            record State(long cents) {}
            sealed interface PayEvent permits Paid {}
            @Event record Paid(String id, long cents) implements PayEvent {}
            @Decider(stream = "payment")
            final class Payments {
                @InitialState static State initial() { return new State(0); }
                @Decide static Paid pay(State s, Pay c) { return new Paid(c.id(), c.cents()); }
                @Evolve static State paid(State s, Paid e) { return new State(s.cents() + e.cents()); }
            }
            """;

    @TempDir
    Path dir;

    private Path lock() {
        return dir.resolve("schema.lock");
    }

    private static JavaFileObject source(String command, String... more) {
        List<String> lines = new ArrayList<>(List.of("package pay;", "import dev.eskit.annotations.*;",
                "import com.fasterxml.jackson.databind.node.ObjectNode;"));
        lines.addAll(DECIDER.lines().toList());
        lines.addAll(command.lines().toList());
        for (String extra : more) {
            lines.addAll(extra.lines().toList());
        }
        return JavaFileObjects.forSourceLines("pay.Payments", lines);
    }

    private Compilation compile(JavaFileObject source, String... options) {
        List<String> all = new ArrayList<>(List.of("-Aeskit.schemaLock=" + lock()));
        all.addAll(List.of(options));
        return javac().withProcessors(new EskitProcessor()).withOptions(all).compile(source);
    }

    private String lockText() throws IOException {
        return Files.readString(lock(), StandardCharsets.UTF_8);
    }

    private static String registry(Compilation compilation) throws IOException {
        return compilation.generatedSourceFile("pay.PayCommandTypes").orElseThrow().getCharContent(true).toString();
    }

    @Test
    void theLockRecordsCommandsAfterEvents() throws IOException {
        assertThat(compile(source("record Pay(@StreamId String id, long cents) {}"))).succeededWithoutWarnings();
        assertTrue(lockText().endsWith("""
                event pay.Paid version 1 class pay.Paid
                  cents: long
                  id: java.lang.String

                command pay.Pay version 1 class pay.Pay
                  cents: long
                  id: java.lang.String
                """), lockText());
    }

    @Test
    void aChangedCommandShapeWithoutANewVersionFailsWithTheFix() throws IOException {
        assertThat(compile(source("record Pay(@StreamId String id, long cents) {}"))).succeeded();
        String before = lockText();
        Compilation changed = compile(source("record Pay(@StreamId String id, long cents, String reference) {}"));
        assertThat(changed).failed();
        assertThat(changed).hadErrorContaining("[ESKIT-COMMAND-SCHEMA-CHANGED]");
        assertThat(changed).hadErrorContaining("command \"pay.Pay\" still has version 1 while its shape differs from"
                + " the schema lock");
        assertThat(changed).hadErrorContaining("\"reference\" added");
        assertThat(changed).hadErrorContaining("@Command(version = 2) and add @CommandUpcast(command = Pay.class,"
                + " from = 1)");
        assertTrue(lockText().equals(before), "a failed check leaves the lock as it was");
    }

    @Test
    void aNewVersionNeedsAnUpcasterFromEachOlderVersion() throws IOException {
        assertThat(compile(source("record Pay(@StreamId String id, long cents) {}"))).succeeded();
        Compilation missing = compile(source("""
                @Command(version = 2) record Pay(@StreamId String id, long cents, String reference) {}
                """));
        assertThat(missing).failed();
        assertThat(missing).hadErrorContaining("[ESKIT-COMMAND-UPCAST]");
        assertThat(missing).hadErrorContaining("nothing upcasts version 1 of \"pay.Pay\" (at version 2)");
        assertTrue(lockText().contains("command pay.Pay version 1 class"), "the lock keeps version 1 meanwhile");

        Compilation upcast = compile(source("""
                @Command(version = 2) record Pay(@StreamId String id, long cents, String reference) {}
                final class PayUpcasts {
                    @CommandUpcast(command = Pay.class, from = 1)
                    static ObjectNode addReference(ObjectNode v1) { return v1.put("reference", ""); }
                }
                """));
        assertThat(upcast).succeededWithoutWarnings();
        assertTrue(lockText().contains("command pay.Pay version 2 class pay.Pay\n  cents: long\n  id:"
                + " java.lang.String\n  reference: java.lang.String\n"), lockText());
        assertTrue(registry(upcast).contains("new CommandType<>(\"pay.Pay\", Pay.class, 2, PayCodecs.PAY,"
                + " List.<CommandUpcaster>of(PayUpcasts::addReference))"), registry(upcast));
    }

    @Test
    void aCommandCanBeRenamedAndTheAcceptOptionRewritesTheLock() throws IOException {
        assertThat(compile(source("record Pay(@StreamId String id, long cents) {}"))).succeeded();
        Compilation renamed = compile(source("""
                @Command(name = "payments.Pay") record Pay(@StreamId String id, long cents, int tip) {}
                """));
        assertThat(renamed).succeededWithoutWarnings();
        assertTrue(registry(renamed).contains("\"payments.Pay\", Pay.class, 1, PayCodecs.PAY)"), registry(renamed));
        assertTrue(lockText().contains("command payments.Pay version 1") && !lockText().contains("command pay.Pay "),
                lockText());

        Compilation accepted = compile(source("""
                @Command(name = "payments.Pay") record Pay(@StreamId String id, long cents) {}
                """), "-Aeskit.acceptSchemaChanges=true");
        assertThat(accepted).succeeded();
        assertThat(accepted).hadNoteContaining("\"tip\" removed");
        assertTrue(!lockText().contains("tip"), lockText());
    }

    @Test
    void badVersionsAndUpcastersFailWithTheRule() {
        Compilation zero = compile(source("@Command(version = 0) record Pay(@StreamId String id, long cents) {}"));
        assertThat(zero).hadErrorContaining("[ESKIT-COMMAND-VERSION]");
        assertThat(zero).hadErrorContaining("\"pay.Pay\" declares version = 0");

        Compilation wrong = compile(source("@Command(version = 2) record Pay(@StreamId String id, long cents) {}", """
                final class PayUpcasts {
                    @CommandUpcast(command = Pay.class, from = 1)
                    ObjectNode instance(ObjectNode v1) { return v1; }
                    @CommandUpcast(command = Pay.class, from = 2)
                    static ObjectNode tooNew(ObjectNode v2) { return v2; }
                    @CommandUpcast(command = State.class, from = 1)
                    static ObjectNode notACommand(ObjectNode v1) { return v1; }
                }
                """));
        assertThat(wrong).failed();
        assertThat(wrong).hadErrorContaining("\"PayUpcasts.instance()\" is not a non-private static ObjectNode"
                + " m(ObjectNode json)");
        assertThat(wrong).hadErrorContaining("\"PayUpcasts.tooNew()\" declares from = 2 while \"pay.Pay\" is at"
                + " version 2");
        assertThat(wrong).hadErrorContaining("\"PayUpcasts.notACommand()\" names \"pay.State\", which no @Decider");
    }
}
