package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tool against hostile stores and inputs: it never writes when reading, and prints nothing raw. */
class CliHardeningTest {

    @TempDir
    Path directory;

    private Path file;
    private String url;

    @BeforeEach
    void createStoreInAnotherApplicationsJournalMode() throws Exception {
        file = directory.resolve("other.db");
        url = "jdbc:sqlite:" + file;
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            Fixtures.fill(store);
            store.append(StreamRef.of("order", "evil\u001b[31m\r\nfake-row 9 active\u0007"),
                    ExpectedVersion.noStream(), List.of(new ShopEventTypes.Shipped("x")));
            store.append(StreamRef.of("order", "c1"), ExpectedVersion.noStream(),
                    List.of(new ShopEventTypes.Shipped("csi\u009b31m rtl\u202Egnp.exe")),
                    dev.eskit.Metadata.empty().with("note", "meta\u009b2J\u202Eevil"));
            var log = dev.eskit.jdbi.command.JdbiCommandLog.create(org.jdbi.v3.core.Jdbi.create(url), store);
            dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme")).commandLog(log).record(
                    new dev.eskit.command.log.CommandLogEntry("c-1", "shop.Order", StreamRef.of("order", "o-1"), "{}",
                            dev.eskit.Metadata.empty(), dev.eskit.command.log.CommandOutcome.ACCEPTED, 0, null, null,
                            0, null, java.time.Instant.now(), java.time.Duration.ZERO));
        }
        // The application that owns the file uses a rollback journal, not WAL.
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA journal_mode = DELETE");
        }
    }

    private String checksum() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static final List<List<String>> READ_ONLY_COMMANDS = List.of(List.of("streams", "list"),
            List.of("streams", "show", "order", "o-1"), List.of("events", "search"), List.of("events", "show", "1"),
            List.of("store", "stats"), List.of("store", "health"), List.of("projections", "list"),
            List.of("commands", "list"), List.of("commands", "list", "--tenant", "acme"),
            List.of("commands", "show", "c-1", "--tenant", "acme"), List.of("commands", "show", "acme::c-1"));

    private void runReadOnlyCommands() throws Exception {
        for (List<String> command : READ_ONLY_COMMANDS) {
            String[] args = new java.util.ArrayList<>(command) {{ add("--url"); add(url); }}.toArray(String[]::new);
            Cli result = Cli.run(args);
            assertEquals(0, result.code(), command + ": " + result);
        }
        Cli dry = Cli.run("migrate", "--from", url, "--to", "jdbc:sqlite:" + directory.resolve("t.db"), "--dry-run");
        assertEquals(0, dry.code(), dry::toString);
    }

    @Test
    void readOnlyCommandsNeverChangeTheFileNorItsJournalMode() throws Exception {
        String before = checksum();
        runReadOnlyCommands();
        assertEquals(before, checksum());
        assertFalse(Files.exists(Path.of(file + "-wal")), "no WAL file was created");
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertEquals("delete", mode.getString(1));
        }
    }

    @Test
    void readOnlyCommandsWorkOnAFileWithoutWritePermission() throws Exception {
        String before = checksum();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try {
            runReadOnlyCommands();
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals(before, checksum());
    }

    @Test
    void controlCharactersInStoredNamesAreEscapedInTextOutput() throws Exception {
        Cli list = Cli.run("streams", "list", "--url", url);
        assertEquals(0, list.code(), list::toString);
        assertFalse(list.out().contains("\u001b"), "no terminal escape");
        assertFalse(list.out().contains("\r"), "no carriage return");
        assertFalse(list.out().contains("\u0007"), "no bell");
        assertTrue(list.out().contains("evil\\u001B[31m\\u000D\\u000Afake-row 9 active\\u0007"), list.out());
        assertFalse(list.out().lines().anyMatch(line -> line.startsWith("fake-row")), "no faked row");
        Cli events = Cli.run("events", "search", "--url", url);
        assertFalse(events.out().contains("\u001b"), events.out());
        assertFalse(events.out().contains("\u009b") || events.out().contains("\u202E"), events.out());
        Cli all = Cli.run("events", "search", "--url", url, "--json");
        assertEquals(0, all.code(), all::toString);
        String position = null;
        for (var event : new com.fasterxml.jackson.databind.ObjectMapper().readTree(all.out())) {
            if (event.toString().contains("\"c1\"")) {
                position = event.get("position").asText();
            }
        }
        Cli shown = Cli.run("events", "show", position, "--url", url);
        assertEquals(0, shown.code(), shown::toString);
        assertTrue(shown.out().contains("\\u009B") && shown.out().contains("\\u202E"), "escaped: " + shown.out());
        assertFalse(shown.out().contains("\u009b") || shown.out().contains("\u202E"), shown.out());
        assertFalse(events.out().lines().anyMatch(line -> line.startsWith("fake-row")), events.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://alice:s3cret@127.0.0.1:1/db",
            "jdbc:postgresql://127.0.0.1:1/db?user=alice&password=s3cret",
            "jdbc:postgresql://127.0.0.1:1/db?user=alice&PASSWORD=s3cret&ssl=false",
            "jdbc:postgresql://127.0.0.1:1/db;password=s3cret"})
    void passwordsAreRedactedInEveryUrlForm(String secretUrl) {
        Cli result = Cli.run("streams", "list", "--url", secretUrl);
        assertEquals(ExitCodes.DATABASE, result.code(), result::toString);
        assertFalse(result.err().contains("s3cret"), result.err());
        assertFalse(result.out().contains("s3cret"), result.out());
        assertTrue(StoreOptions.redact(secretUrl).contains("***"), StoreOptions.redact(secretUrl));
    }

    @Test
    void everyOptionIsValidated() {
        assertEquals(ExitCodes.USAGE, Cli.run("store", "health", "--url", url, "--max-lag", "-1").code());
        assertEquals(ExitCodes.USAGE, Cli.run("streams", "show", "order", "o-1", "--url", url, "--from", "-1")
                .code());
        assertEquals(ExitCodes.USAGE, Cli.run("streams", "list", "--url", url, "--limit", "0").code());
        assertEquals(ExitCodes.USAGE, Cli.run("migrate", "--from", url, "--to", url, "--batch-size", "-5").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"select", "user", "order", "information_schema", "pg_catalog", "pg_toast", "pg_temp_1"})
    void reservedAndSystemSchemasAreRefusedBeforeConnecting(String schema) {
        Cli result = Cli.run("streams", "list", "--url", "jdbc:postgresql://127.0.0.1:1/db", "--schema", schema);
        assertEquals(ExitCodes.USAGE, result.code(), result::toString);
        assertTrue(result.err().contains(schema), result.err());
    }

    @Test
    void aVersionGapInTheSourceIsReportedAsSuch() throws Exception {
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
            assertEquals(1, statement.executeUpdate(
                    "DELETE FROM eskit_events WHERE stream_id = 'o-1' AND version = 1"));
        }
        Cli result = Cli.run("migrate", "--from", url, "--to", "jdbc:sqlite:" + directory.resolve("target.db"));
        assertEquals(ExitCodes.CONFLICT, result.code(), result::toString);
        assertTrue(result.err().contains("version gap"), result.err());
        assertTrue(result.err().contains("order/o-1"), result.err());
    }

    @Test
    void errorMessagesDropStatementsAndRawBytes() {
        String message = Text.error("import events failed: Batch entry 0 INSERT INTO s.eskit_events (id, data) VALUES"
                + " ('x', '\\x7b22...'::bytea) was aborted: ERROR: duplicate key value violates unique constraint"
                + " \"eskit_events_stream_version\"\n  Detail: Key (stream_type)=(a) already exists.  Call"
                + " getNextException to see other errors in the batch.");
        assertFalse(message.contains("INSERT"), message);
        assertFalse(message.contains("\\x7b"), message);
        assertTrue(message.contains("duplicate key"), message);
        assertTrue(Text.error("x".repeat(5000)).length() < 700);
    }
}
