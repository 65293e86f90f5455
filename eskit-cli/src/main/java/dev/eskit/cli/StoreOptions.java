package dev.eskit.cli;

import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.StoreConfigurationException;
import dev.eskit.jdbi.TableNames;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options that pick a store: {@code --url}, {@code --schema}, {@code --prefix}, {@code --app-classpath}. */
public final class StoreOptions {

    @Option(names = {"-u", "--url"}, paramLabel = "JDBC_URL", defaultValue = "${env:ESKIT_URL}",
            description = "The store: jdbc:sqlite:path/to/app.db or jdbc:postgresql://host:5432/db?user=... "
                    + "(default: $ESKIT_URL).")
    String url;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "PostgreSQL schema of the tables (default: the URL's currentSchema, else public). Same as"
                    + " JdbiEventStore.Builder.schema.")
    String schema;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = TableNames.DEFAULT_PREFIX,
            description = "Table name prefix (default: ${DEFAULT-VALUE}). Same as JdbiEventStore.Builder.tablePrefix.")
    String prefix;

    @Option(names = "--app-classpath", paramLabel = "PATHS", defaultValue = "${env:ESKIT_APP_CLASSPATH}",
            description = "Jars or class directories of your application, separated by '" + "${sys:path.separator}"
                    + "', so that payloads decode through its generated event type registries (upcasters applied)"
                    + " (default: $ESKIT_APP_CLASSPATH). Without them payloads are shown as stored JSON.")
    String appClasspath;

    /**
     * Opens the existing store for reading only (a SQLite file read-only, its journal mode untouched); fails with a
     * clear {@link CliException} when it is not there.
     */
    JdbiEventStore openExisting() {
        return open(url, schema, prefix, false, true, eventTypes(appClasspath));
    }

    /** Opens the existing store for a command that writes (projections rebuild). */
    JdbiEventStore openForWrite() {
        return open(url, schema, prefix, false, false, eventTypes(appClasspath));
    }

    /** The event types of the application class path (plus whatever is on the tool's own class path). */
    static EventTypes eventTypes(String appClasspath) {
        ClassLoader base = Thread.currentThread().getContextClassLoader();
        if (base == null) {
            base = StoreOptions.class.getClassLoader();
        }
        if (appClasspath == null || appClasspath.isBlank()) {
            return EventTypes.discover(base);
        }
        List<URL> urls = new ArrayList<>();
        for (String part : appClasspath.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            Path path = Path.of(part);
            if (!Files.exists(path)) {
                throw new CliException(ExitCodes.USAGE, "--app-classpath entry \"" + part + "\" does not exist."
                        + " Give the application's jar or its target/classes directory.");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new CliException(ExitCodes.USAGE, "--app-classpath entry \"" + part + "\" is not a path.", e);
            }
        }
        try {
            return EventTypes.discover(new URLClassLoader(urls.toArray(URL[]::new), base));
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "The application's event type registries on --app-classpath"
                    + " could not be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a store. With {@code create}, missing tables are created (the target of a migration); without it, the
     * SQLite file and the tables must exist, and nothing is created.
     */
    static JdbiEventStore open(String url, String schema, String prefix, boolean create, EventTypes types) {
        return open(url, schema, prefix, create, false, types);
    }

    /** {@link #open(String, String, String, boolean, EventTypes)}, read-only when {@code readOnly}. */
    static JdbiEventStore open(String url, String schema, String prefix, boolean create, boolean readOnly,
                               EventTypes types) {
        String shown = redact(url);
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "No store given. Pass --url jdbc:sqlite:path/to/app.db or"
                    + " --url jdbc:postgresql://host:5432/db?user=..., or set ESKIT_URL.");
        }
        Optional<String> database = JdbiSchema.databaseOfUrl(url);
        boolean sqlite = database.filter("SQLite"::equals).isPresent();
        if (database.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "\"" + shown + "\" is not a supported store URL. Use"
                    + " jdbc:sqlite:path/to/app.db or jdbc:postgresql://host:5432/db?user=....");
        }
        if (sqlite && schema != null) {
            throw new CliException(ExitCodes.USAGE, "SQLite has no schemas: drop --schema, or use --prefix to pick"
                    + " the tables.");
        }
        try {
            TableNames.of(schema, prefix);
        } catch (StoreConfigurationException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        if (sqlite) {
            Path file = sqliteFile(url);
            if (file == null) {
                throw new CliException(ExitCodes.USAGE, "\"" + shown + "\" is an in-memory SQLite database, which"
                        + " has no store to inspect. Give a file: jdbc:sqlite:path/to/app.db.");
            }
            if (!create && !Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.NO_STORE, "There is no SQLite database at " + file.toAbsolutePath()
                        + ". Check the path in " + shown + ".");
            }
        } else {
            checkReachable(url);
        }
        JdbiEventStore.Builder builder = JdbiEventStore.builder(JsonEventCodec.create(types)).url(url)
                .tablePrefix(prefix).maxConnections(4);
        if (schema != null) {
            builder.schema(schema);
        }
        if (readOnly && sqlite) {
            builder.readOnly();
        } else if (!create) {
            builder.openExisting();
        }
        try {
            return builder.build();
        } catch (StoreConfigurationException e) {
            throw new CliException(ExitCodes.NO_STORE, Text.error(e.getMessage()) + " (store " + shown + ")", e);
        } catch (StoreAccessException e) {
            throw new CliException(ExitCodes.DATABASE, Text.error(e.getMessage()) + " (store " + shown + ")", e);
        }
    }

    /** The file of a SQLite URL, or {@code null} for an in-memory database. */
    static Path sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || url.contains("mode=memory")) {
            return null;
        }
        return Path.of(rest);
    }

    /** Fails with {@link ExitCodes#DATABASE} (and a short message) when the PostgreSQL server does not answer. */
    static void checkReachable(String url) {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        try (Connection connection = new org.postgresql.Driver().connect(url, properties)) {
            if (connection == null) {
                throw new CliException(ExitCodes.USAGE, "\"" + redact(url) + "\" is not a PostgreSQL URL.");
            }
        } catch (SQLException e) {
            throw new CliException(ExitCodes.DATABASE, "Cannot connect to PostgreSQL at " + redact(url) + ": "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + "). Check host, port, database, user and"
                    + " password, and that the server is running.", e);
        }
    }

    /**
     * {@code text} (a URL or a message quoting one) with every password hidden: {@code password=...} parameters
     * (after {@code ?}, {@code &} or {@code ;}, any case, also {@code sslpassword}) and the {@code user:password@host}
     * form.
     */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        return text.replaceAll("(?i)(password\\s*=\\s*)[^&;\\s]*", "$1***")
                .replaceAll("(//[^/@:\\s]*:)[^@/\\s]*@", "$1***@");
    }
}
