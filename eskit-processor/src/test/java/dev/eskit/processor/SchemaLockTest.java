package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema lock: recorded on the first compilation, compared on every later one. A changed shape without a new
 * version fails; a new version with a complete chain, or the accept option, rewrites the lock.
 */
class SchemaLockTest {

    /** The {@link Message} constants these tests trigger (counted by {@link BadInputTest#everyMessageHasANegativeTest}). */
    static final Set<Message> COVERED = EnumSet.of(Message.SCHEMA_CHANGED, Message.SCHEMA_VERSION_LOWERED,
            Message.SCHEMA_NAME_CHANGED, Message.SCHEMA_LOCK_UNUSABLE, Message.SCHEMA_LOCK_LOCATION,
            Message.SCHEMA_ACCEPTED);

    private static final String V1 = """
            @Event(name = "pay.Paid")
            record Paid(String id, long amount, Money money, List<Line> lines, Currency currency) {}
            """;

    private static final String COMMON = """
            record Money(long cents, Currency currency) {}
            record Line(String sku, int quantity) {}
            enum Currency { USD, EUR }
            """;

    @TempDir
    Path dir;

    private Path lock() {
        return dir.resolve("schema.lock");
    }

    private static JavaFileObject source(String events, String... more) {
        List<String> lines = new ArrayList<>(List.of("package pay;", "import dev.eskit.annotations.*;",
                "import java.util.List;", "import com.fasterxml.jackson.databind.node.ObjectNode;"));
        lines.addAll(events.lines().toList());
        for (String extra : more) {
            lines.addAll(extra.lines().toList());
        }
        return JavaFileObjects.forSourceLines("pay.Paid", lines);
    }

    private Compilation compile(JavaFileObject source, String... options) {
        List<String> all = new ArrayList<>(List.of("-Aeskit.schemaLock=" + lock()));
        all.addAll(List.of(options));
        return javac().withProcessors(new EskitProcessor()).withOptions(all).compile(source);
    }

    private String lockText() throws IOException {
        return Files.readString(lock(), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstCompilationRecordsEveryEventSortedWithNestedRecordsListsAndEnums() throws IOException {
        assertThat(compile(source(V1, COMMON, "@Event record Opened(String id) {}"))).succeededWithoutWarnings();
        assertEquals("""
                # eskit schema lock: the wire name, schema version and shape of every @Event record.
                # Written by the eskit annotation processor; commit it with the sources. A changed shape without a new
                # version fails the build. See docs/schema-evolution.md.

                event pay.Opened version 1 class pay.Opened
                  id: java.lang.String

                event pay.Paid version 1 class pay.Paid
                  amount: long
                  currency: enum pay.Currency {EUR, USD}
                  id: java.lang.String
                  lines: java.util.List<pay.Line>
                  lines[]: pay.Line
                  lines[].quantity: int
                  lines[].sku: java.lang.String
                  money: pay.Money
                  money.cents: long
                  money.currency: enum pay.Currency {EUR, USD}
                """, lockText());
    }

    @Test
    void mapsArraysOptionalsAndRecursiveRecordsHaveOneLinePerPath() throws IOException {
        assertThat(compile(source("""
                @Event(name = "pay.Tree")
                record Tree(java.util.Map<String, Money> totals, Money[] history, java.util.Optional<Currency> main,
                            Node root, List<String> tags) {}
                record Node(String name, List<Node> children) {}
                """, COMMON))).succeededWithoutWarnings();
        String text = lockText();
        assertEquals("""
                event pay.Tree version 1 class pay.Tree
                  history: pay.Money[]
                  history[]: pay.Money
                  history[].cents: long
                  history[].currency: enum pay.Currency {EUR, USD}
                  main: java.util.Optional<pay.Currency>
                  main[]: enum pay.Currency {EUR, USD}
                  root: pay.Node
                  root.children: java.util.List<pay.Node>
                  root.children[]: pay.Node
                  root.name: java.lang.String
                  tags: java.util.List<java.lang.String>
                  totals: java.util.Map<java.lang.String, pay.Money>
                  totals<1>: pay.Money
                  totals<1>.cents: long
                  totals<1>.currency: enum pay.Currency {EUR, USD}
                """, text.substring(text.indexOf("event ")));
    }

    @Test
    void anUnchangedShapeCompilesAndLeavesTheLockUntouched() throws IOException {
        assertThat(compile(source(V1, COMMON))).succeeded();
        String before = lockText();
        long modified = Files.getLastModifiedTime(lock()).toMillis();
        // Reordered components do not change the JSON, so they are not a change.
        assertThat(compile(source("""
                @Event(name = "pay.Paid")
                record Paid(long amount, String id, Money money, List<Line> lines, Currency currency) {}
                """, COMMON))).succeededWithoutWarnings();
        assertEquals(before, lockText());
        assertEquals(modified, Files.getLastModifiedTime(lock()).toMillis());
    }

    @Test
    void aChangedComponentTypeFailsNamingTheComponent() throws IOException {
        assertThat(compile(source(V1, COMMON))).succeeded();
        String before = lockText();
        JavaFileObject changed = source("""
                @Event(name = "pay.Paid")
                record Paid(String id, int amount, Money money, List<Line> lines, Currency currency) {}
                """, COMMON);
        Compilation compilation = compile(changed);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[ESKIT-SCHEMA-CHANGED]").inFile(changed)
                .onLineContaining("@Event");
        assertThat(compilation).hadErrorContaining("\"pay.Paid\" still declares version 1 while its shape differs"
                + " from the schema lock \"" + lock() + "\": \"amount\" changed from long to int. Raise it to"
                + " @Event(version = 2) and add @Upcast(event = Paid.class, from = 1), or, if events stored with the"
                + " old shape still decode");
        assertThat(compilation).hadErrorContaining("-Aeskit.acceptSchemaChanges=true");
        assertEquals(before, lockText());
    }

    @Test
    void aRemovedComponentFails() {
        assertThat(compile(source(V1, COMMON))).succeeded();
        Compilation compilation = compile(source("""
                @Event(name = "pay.Paid")
                record Paid(String id, Money money, List<Line> lines, Currency currency) {}
                """, COMMON));
        assertThat(compilation).hadErrorContaining("[ESKIT-SCHEMA-CHANGED]");
        assertThat(compilation).hadErrorContaining(": \"amount\" removed. Raise it");
    }

    @Test
    void aRenamedComponentFailsAsRemovedAndAdded() {
        assertThat(compile(source(V1, COMMON))).succeeded();
        Compilation compilation = compile(source("""
                @Event(name = "pay.Paid")
                record Paid(String id, long total, Money money, List<Line> lines, Currency currency) {}
                """, COMMON));
        assertThat(compilation).hadErrorContaining("\"amount\" removed; \"total\" added.");
    }

    @Test
    void changesInsideNestedRecordsListsAndEnumsFailWithTheirPath() {
        assertThat(compile(source(V1, COMMON))).succeeded();
        Compilation compilation = compile(source(V1, """
                record Money(long cents, Currency currency) {}
                record Line(String sku, long quantity) {}
                enum Currency { USD, EUR, CHF }
                """));
        assertThat(compilation).hadErrorContaining("\"currency\" changed from enum pay.Currency {EUR, USD} to enum"
                + " pay.Currency {CHF, EUR, USD}; \"lines[].quantity\" changed from int to long;"
                + " \"money.currency\" changed from enum pay.Currency {EUR, USD} to enum pay.Currency {CHF, EUR, USD}.");
    }

    @Test
    void aNewVersionWithACompleteChainCompilesAndUpdatesTheLock() throws IOException {
        assertThat(compile(source(V1, COMMON))).succeeded();
        assertThat(compile(source("""
                @Event(name = "pay.Paid", version = 2)
                record Paid(String id, long amount, Money money, List<Line> lines, Currency currency, String note) {}
                final class PaidUpcasts {
                  @Upcast(event = Paid.class, from = 1)
                  static ObjectNode addNote(ObjectNode v1) { return v1.put("note", ""); }
                }
                """, COMMON))).succeededWithoutWarnings();
        assertTrue(lockText().contains("event pay.Paid version 2 class pay.Paid\n"), lockText());
        assertTrue(lockText().contains("  note: java.lang.String\n"), lockText());
        assertFalse(lockText().contains("version 1 class pay.Paid"), lockText());
    }

    @Test
    void aNewVersionWithAGapFailsAndKeepsTheOldEntry() throws IOException {
        assertThat(compile(source(V1, COMMON))).succeeded();
        String before = lockText();
        Compilation compilation = compile(source("""
                @Event(name = "pay.Paid", version = 2)
                record Paid(String id, long amount, Money money, List<Line> lines, Currency currency, String note) {}
                """, COMMON));
        assertThat(compilation).hadErrorContaining("[ESKIT-UPCAST-GAP]");
        assertEquals(before, lockText());
    }

    @Test
    void theAcceptOptionRewritesTheLockWithANote() throws IOException {
        assertThat(compile(source(V1, COMMON))).succeeded();
        Compilation compilation = compile(source("""
                @Event(name = "pay.Paid")
                record Paid(String id, long amount, Money money, List<Line> lines, Currency currency, String note) {}
                """, COMMON), "-Aeskit.acceptSchemaChanges=true");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[ESKIT-SCHEMA-ACCEPTED] Accepted a schema change of \"pay.Paid\""
                + " (-Aeskit.acceptSchemaChanges=true): \"note\" added.");
        assertTrue(lockText().contains("  note: java.lang.String\n"), lockText());
        // From now on the new shape is the locked one.
        assertThat(compile(source("""
                @Event(name = "pay.Paid")
                record Paid(String id, long amount, Money money, List<Line> lines, Currency currency, String note) {}
                """, COMMON))).succeededWithoutWarnings();
    }

    @Test
    void aLowerVersionThanTheLockedOneFails() {
        assertThat(compile(source("""
                @Event(name = "pay.Paid", version = 2)
                record Paid(String id) {}
                final class PaidUpcasts {
                  @Upcast(event = Paid.class, from = 1)
                  static ObjectNode same(ObjectNode v1) { return v1; }
                }
                """))).succeeded();
        JavaFileObject lowered = source("""
                @Event(name = "pay.Paid")
                record Paid(String id) {}
                """);
        Compilation compilation = compile(lowered);
        assertThat(compilation).hadErrorContaining("[ESKIT-SCHEMA-VERSION-LOWERED]").inFile(lowered)
                .onLineContaining("@Event");
        assertThat(compilation).hadErrorContaining("\"pay.Paid\" declares version 1 while the schema lock \""
                + lock() + "\" records version 2. Use version 2 or higher");
    }

    @Test
    void aNewWireNameWithoutTheOldOneAsAliasFails() throws IOException {
        assertThat(compile(source("@Event record Paid(String id) {}"))).succeeded();
        JavaFileObject renamed = source("@Event(name = \"billing.Paid\") record Paid(String id) {}");
        Compilation compilation = compile(renamed);
        assertThat(compilation).hadErrorContaining("[ESKIT-SCHEMA-NAME-CHANGED]").inFile(renamed)
                .onLineContaining("@Event");
        assertThat(compilation).hadErrorContaining("\"pay.Paid\" is now \"billing.Paid\" while the schema lock \""
                + lock() + "\" records it as \"pay.Paid\". Add aliases = {\"pay.Paid\"} to its @Event");
        // With the alias the rename is fine, and the lock moves the entry to the new name.
        assertThat(compile(source("@Event(name = \"billing.Paid\", aliases = {\"pay.Paid\"}) record Paid(String id) {}")))
                .succeededWithoutWarnings();
        assertTrue(lockText().contains("event billing.Paid version 1 class pay.Paid\n"), lockText());
        assertFalse(lockText().contains("event pay.Paid "), lockText());
    }

    @Test
    void aLockThatCannotBeParsedFailsWithAFix() throws IOException {
        Files.writeString(lock(), "event pay.Paid version 1 class pay.Paid\n<<<<<<< HEAD\n");
        Compilation compilation = compile(source("@Event record Paid(String id) {}"));
        assertThat(compilation).hadErrorContaining("[ESKIT-SCHEMA-LOCK-UNUSABLE] eskit checks event shapes against"
                + " the schema lock, but \"" + lock() + "\" cannot be parsed: line 2 is neither a comment");
        assertThat(compilation).hadErrorContaining("Resolve merge conflicts in it");
    }

    @Test
    void eventsOfOtherCompilationsStayWhileTheirClassExistsAndGoWhenDeleted() throws IOException {
        assertThat(compile(source("@Event record Paid(String id) {}"))).succeeded();
        Files.writeString(lock(), lockText() + "\nevent pay.Gone version 1 class pay.Gone\n  id: java.lang.String\n"
                + "\nevent lib.Kept version 1 class java.lang.String\n  id: java.lang.String\n");
        assertThat(compile(source("@Event record Paid(String id) {}"))).succeeded();
        assertFalse(lockText().contains("pay.Gone"), lockText());
        // java.lang.String exists but is no @Event: its entry goes too; only @Event classes are kept.
        assertFalse(lockText().contains("lib.Kept"), lockText());
        assertTrue(lockText().contains("event pay.Paid version 1"), lockText());
    }

    @Test
    void noneTurnsTheCheckOff() {
        Compilation compilation = javac().withProcessors(new EskitProcessor())
                .withOptions("-Aeskit.schemaLock=none").compile(source("@Event record Paid(String id) {}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertFalse(Files.exists(lock()));
    }

    @Test
    void withoutAPathNothingIsWrittenIntoTheSourcesAndTheCheckIsOffWithAWarning() throws IOException {
        // A Maven layout: before this change the processor guessed src/main/resources from target/classes.
        Path out = Files.createDirectories(dir.resolve("app/target/classes"));
        Path copied = Files.createDirectories(out.resolve("META-INF/eskit")).resolve("schema.lock");
        Files.writeString(copied, "# as the build tool copied it\n");
        List<Diagnostic<? extends JavaFileObject>> diagnostics = realJavac(out);
        assertTrue(diagnostics.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.WARNING
                && d.getMessage(null).startsWith("[ESKIT-SCHEMA-LOCK-LOCATION]")
                && d.getMessage(null).contains("no lock file was given (-Aeskit.schemaLock), so the check is off")),
                diagnostics.toString());
        assertFalse(Files.exists(dir.resolve("app/src")), "nothing may be written outside the class output");
        assertEquals("# as the build tool copied it\n", Files.readString(copied));
    }

    private List<Diagnostic<? extends JavaFileObject>> realJavac(Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-s", out.toString(), "-classpath",
                            System.getProperty("java.class.path")), null,
                    List.of(source("@Event record Paid(String id) {}")));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call(), diagnostics.getDiagnostics().toString());
        }
        return diagnostics.getDiagnostics();
    }
}
