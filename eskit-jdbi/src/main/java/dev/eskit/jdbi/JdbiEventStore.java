package dev.eskit.jdbi;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.jdbi.sqlite.Synchronous;
import dev.eskit.store.HeadAppender;
import dev.eskit.store.StreamTypePrefixReader;
import dev.eskit.subscription.AppendNotifier;
import dev.eskit.subscription.BacklogProbe;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The event store on SQLite or PostgreSQL, over Jdbi. It creates and migrates its own tables, and also offers the
 * {@link #snapshots() snapshot store}, the {@link #checkpoints() checkpoint store} and {@link StreamAdmin stream
 * administration} in the same schema.
 *
 * <pre>{@code
 * EventCodec codec = JsonEventCodec.create(EventTypes.discover());
 * try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:app.db", codec)) {
 *     store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 500)));
 * }
 * JdbiEventStore pg = JdbiEventStore.builder(codec)
 *     .dataSource(hikari)                       // or .url("jdbc:postgresql://db/app"), or .jdbi(jdbi)
 *     .schema("billing")
 *     .build();
 * }</pre>
 *
 * <p>As an {@link AppendNotifier} it wakes subscriptions in this JVM after each committed append of this instance;
 * {@code dev.eskit.jdbi.postgres.PostgresNotifier} carries wake-ups between JVMs.
 *
 * <p>As a {@link DcbEventStore} it indexes every event's tags and checks append conditions under (type, tag) locks;
 * see {@code docs/dcb.md}.
 *
 * <p>An application can append inside its own transaction ({@link #append(Handle, AppendRequest)}), so that its rows
 * and the events commit or roll back together.
 *
 * <p>Thread-safe. Every append is one transaction; bad input fails before a connection is taken; database failures
 * surface as {@link StoreAccessException}, never as a raw {@link java.sql.SQLException}. See {@code docs/stores.md}.
 */
public final class JdbiEventStore extends StoreFacets implements EventStore, StreamAdmin, AppendNotifier,
        DcbEventStore, BacklogProbe, StreamTypePrefixReader, HeadAppender {

    private final AppendListeners listeners = new AppendListeners();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Database db;
    private final EventCodec codec;
    private final EventReader reader;
    private final AppendTransaction appends;
    private final StreamAdministration admin;
    private final DcbAccess dcb;
    private final LogBacklog backlog;
    private final JdbiSnapshotStore snapshots;
    private final JdbiCheckpointStore checkpoints;
    private final RawEventAccess raw;

    private JdbiEventStore(Database db, EventCodec codec, Clock clock, AppendHook hook, boolean groupCommit,
                           int groupWriters) {
        this.db = db;
        this.codec = codec;
        this.reader = new EventReader(db, codec);
        this.appends = new AppendTransaction(db, codec, clock, hook, reader, groupCommit, groupWriters);
        this.admin = new StreamAdministration(db, clock);
        this.dcb = new DcbAccess(codec, appends, reader, listeners::committed);
        this.backlog = new LogBacklog(db);
        this.snapshots = new JdbiSnapshotStore(db);
        this.checkpoints = new JdbiCheckpointStore(db, clock);
        this.raw = new RawEventAccess(db, listeners::committed);
    }

    // ----------------------------------------------------------------------------------------------- factories

    /**
     * A store on the SQLite file of {@code url} ({@code jdbc:sqlite:path/to/app.db}), with default settings.
     *
     * @throws StoreConfigurationException when the URL is not a SQLite file URL
     */
    public static JdbiEventStore sqlite(String url, EventCodec codec) {
        Database.requireUrl(url, "SQLite");
        return builder(codec).url(url).build();
    }

    /**
     * A store on the PostgreSQL database of {@code url} ({@code jdbc:postgresql://host/db?user=...}), in the schema
     * the URL's {@code currentSchema} parameter names first, else {@code public}, with a HikariCP connection pool of
     * its own. Use {@link #builder(EventCodec)} for a schema or a
     * {@code DataSource} of your own.
     *
     * @throws StoreConfigurationException when the URL is not a PostgreSQL URL
     */
    public static JdbiEventStore postgres(String url, EventCodec codec) {
        Database.requireUrl(url, "PostgreSQL");
        return builder(codec).url(url).build();
    }

    /**
     * {@link #sqlite(String, EventCodec)} with the JSON codec over {@code types}: {@link JsonEventCodec} when
     * jackson-databind is on the class path, else {@link StreamingEventCodec#json} (the same JSON for generated types;
     * every type needs a generated codec then).
     */
    public static JdbiEventStore sqlite(String url, EventTypes types) {
        return sqlite(url, jsonCodec(types));
    }

    /** {@link #postgres(String, EventCodec)} with the JSON codec over {@code types}, chosen as by {@link #sqlite(String, EventTypes)}. */
    public static JdbiEventStore postgres(String url, EventTypes types) {
        return postgres(url, jsonCodec(types));
    }

    /**
     * The factories' JSON codec: {@link JsonEventCodec} (which also reads types without a generated codec through
     * databind) where databind is present, else the databind-free {@link StreamingEventCodec}. Databind's presence is
     * a resource lookup, so this class never links it when it is absent.
     */
    static EventCodec jsonCodec(EventTypes types) {
        ClassLoader loader = JdbiEventStore.class.getClassLoader();
        boolean databind = loader != null
                && loader.getResource("com/fasterxml/jackson/databind/ObjectMapper.class") != null;
        return databind ? JsonEventCodec.create(types) : StreamingEventCodec.json(types);
    }

    /** A store on an existing {@link Jdbi}; the database (SQLite or PostgreSQL) is detected. */
    public static JdbiEventStore create(Jdbi jdbi, EventCodec codec) {
        return builder(codec).jdbi(jdbi).build();
    }

    /** A store on an existing {@link DataSource} (a HikariCP pool, say); the database is detected. */
    public static JdbiEventStore create(DataSource dataSource, EventCodec codec) {
        return builder(codec).dataSource(dataSource).build();
    }

    /** A builder for every setting. */
    public static Builder builder(EventCodec codec) {
        return new Builder(codec);
    }

    // ------------------------------------------------------------------------------------------------- append

    @Override
    public AppendResult append(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        AppendResult result = appends.append(request);
        if (!result.duplicate()) {
            listeners.committed();
        }
        return result;
    }

    /** {@inheritDoc} Yes, unless an {@code AppendHook} is configured. */
    @Override
    public boolean appendsAtHead() {
        return appends.appendsAtHead();
    }

    /**
     * {@inheritDoc} The lean append's statement (see {@code docs/stores.md}) with one more condition: the event at
     * the expected version has id {@code headEventId}. On PostgreSQL one auto-commit statement, alone (one event or
     * several); on SQLite one event, in a group with concurrent appends when group commit is on (several events:
     * empty, not tried).
     */
    @Override
    public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(headEventId, "headEventId");
        AppendResult result = appends.appendAtHead(request, headEventId);
        if (result == null) {
            return Optional.empty();
        }
        listeners.committed();
        return Optional.of(result);
    }

    /**
     * Appends inside the application's transaction on {@code handle} (begun with {@code handle.begin()} or in
     * {@code jdbi.inTransaction(...)}): the events commit or roll back with the application's own writes. Subscriptions
     * in this JVM wake after the commit. The handle must be connected to this store's database; on SQLite, the
     * transaction holds the database's single write lock from its first write until it ends, so keep it short.
     *
     * <pre>{@code
     * jdbi.useTransaction(handle -> {
     *     handle.execute("INSERT INTO orders (id) VALUES (?)", orderId);
     *     store.append(handle, AppendRequest.of(StreamRef.of("order", orderId), ExpectedVersion.noStream(), events));
     * });
     * }</pre>
     *
     * @throws StoreConfigurationException when the handle has no transaction open
     */
    public AppendResult append(Handle handle, AppendRequest request) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(request, "request");
        AppendResult result = appends.appendInTransaction(handle.getConnection(), request);
        if (!result.duplicate()) {
            handle.afterCommit(listeners::committed);
        }
        return result;
    }

    /**
     * Appends inside the application's transaction on {@code connection} (auto-commit off): the events commit or roll
     * back with the application's own writes. Subscriptions in this JVM see the events at their next poll (use
     * {@link #append(Handle, AppendRequest)} to wake them at commit).
     *
     * @throws StoreConfigurationException when the connection is in auto-commit mode
     */
    public AppendResult append(Connection connection, AppendRequest request) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(request, "request");
        return appends.appendInTransaction(connection, request);
    }

    /**
     * Calls {@code listener} after every committed write of events by this store instance (appends, DCB appends,
     * imports; not those of other processes: on PostgreSQL, {@code dev.eskit.jdbi.postgres.PostgresNotifier} carries
     * those), so that subscriptions in this JVM wake at once.
     */
    @Override
    public Registration onAppend(Runnable listener) {
        return listeners.add(listener);
    }

    /** {@inheritDoc} Deleting a stream forgets its keys. */
    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return reader.findIdempotentAppend(idempotencyKey);
    }

    // -------------------------------------------------------------------------------------------------- reads

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return reader.load(stream, fromVersion, Long.MAX_VALUE);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Rows come from the database in pages (a cursor on both databases), so memory stays bounded whatever the
     * stream's length. {@code action} runs while a connection is held: keep it to folding.
     */
    @Override
    public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
        reader.loadEach(stream, fromVersion, action);
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return reader.streamVersion(stream);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        return reader.readAll(after, limit, eventTypes);
    }

    // ---------------------------------------------------------------------------------------- related stores

    @Override
    StreamAdministration administration() {
        return admin;
    }

    @Override
    DcbAccess dcb() {
        return dcb;
    }

    @Override
    EventReader reader() {
        return reader;
    }

    @Override
    LogBacklog logBacklog() {
        return backlog;
    }

    /** The snapshot store in this store's schema. */
    public JdbiSnapshotStore snapshots() {
        return snapshots;
    }

    /** The checkpoint store in this store's schema. */
    public JdbiCheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * Undecoded access to this store's rows: events as stored bytes, streams, checkpoints, counts, and an import that
     * keeps ids, versions and timestamps (for copying between stores). See {@link RawEventAccess}.
     */
    public RawEventAccess raw() {
        return raw;
    }

    /**
     * Converts this store's event data between JSON and CBOR in place, in resumable batches ({@link EventRecoder}),
     * with this store's codec and its {@code forFormat} variants.
     */
    public EventRecoder recoder() {
        return new EventRecoder(db, codec);
    }

    /** The group committer of plain appends, or {@code null} when group commit is off (for tests). */
    GroupCommit groupCommit() {
        return appends.groups();
    }

    /** The engine (for tests' fault seams). */
    Database database() {
        return db;
    }

    /** The validated table names this store uses. */
    public TableNames tableNames() {
        return db.dialect().tables;
    }

    /** {@code "SQLite"} or {@code "PostgreSQL"}. */
    public String databaseName() {
        return db.dialect().name();
    }

    /** The codec events are stored with. */
    public EventCodec codec() {
        return codec;
    }

    /** The protector of a store built on {@code protector.codec(types)} or {@code protector.streamingCodec(types)}. */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        Object transform = codec instanceof dev.eskit.codec.StreamingEventCodec streaming ? streaming.transform()
                : codec instanceof JsonEventCodec json ? json.transform() : null;
        return transform instanceof dev.eskit.gdpr.PersonalDataProtector p ? Optional.of(p) : Optional.empty();
    }

    /**
     * A {@link Jdbi} on this store's own database, for the tables that must live beside its events and share their
     * transactions ({@code JdbiCommandLog}, {@code JdbiCommandQueueStore}, {@code JdbiDeadLetterStore}): the
     * {@code Jdbi} or {@code DataSource} the store was built on, or for a store built from a URL a Jdbi over that URL
     * (PostgreSQL: the store's pool; SQLite: a new connection per handle, with the store's busy timeout).
     *
     * <pre>{@code
     * CommandLog log = JdbiCommandLog.create(store.jdbi(), store);
     * }</pre>
     */
    public Jdbi jdbi() {
        return db.jdbi();
    }

    /** Closes the store's own connections (not those of a {@code Jdbi} or {@code DataSource} you passed in). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            db.close();
        }
    }

    // ----------------------------------------------------------------------------------------------- builder

    /**
     * Settings for a {@link JdbiEventStore}. Exactly one of {@link #url(String)}, {@link #jdbi(Jdbi)} and
     * {@link #dataSource(DataSource)} must be given.
     *
     * <pre>{@code
     * JdbiEventStore store = JdbiEventStore.builder(codec)
     *     .url("jdbc:sqlite:app.db")
     *     .tablePrefix("orders_")
     *     .synchronous(Synchronous.FULL)
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final EventCodec codec;
        private String url;
        private Jdbi jdbi;
        private DataSource dataSource;
        private String schema;
        private String tablePrefix = TableNames.DEFAULT_PREFIX;
        private Synchronous synchronous = Synchronous.NORMAL;
        private Duration busyTimeout = Duration.ofSeconds(10);
        private int maxConnections = 8;
        private Clock clock = Clock.systemUTC();
        private AppendHook hook;
        private boolean openExisting;
        private boolean readOnly;
        private boolean autoMigrate = true;
        private boolean eventTypeIndex;
        /** {@code null}: the database's default (on for SQLite, off for PostgreSQL). */
        private Boolean groupCommit;
        private int groupWriters;

        private Builder(EventCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /**
         * The database by JDBC URL: {@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}. The store opens its own
         * connection pool; on PostgreSQL its sessions are READ COMMITTED whatever the server's default, which lets a
         * command's append be one statement (see docs/stores.md, "Appending").
         */
        public Builder url(String value) {
            this.url = Objects.requireNonNull(value, "url");
            return this;
        }

        /** The database by an existing {@link Jdbi}. Its connections are not closed by the store. */
        public Builder jdbi(Jdbi value) {
            this.jdbi = Objects.requireNonNull(value, "jdbi");
            return this;
        }

        /** The database by an existing {@link DataSource} (a pool, typically). It is not closed by the store. */
        public Builder dataSource(DataSource value) {
            this.dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * The PostgreSQL schema for the tables (created if missing). By default the first schema of the URL's
         * {@code currentSchema} parameter ({@code jdbc:postgresql://host/db?currentSchema=billing}) when
         * {@link #url(String)} has one, else {@code public}; with {@link #jdbi(Jdbi)} or
         * {@link #dataSource(DataSource)}, {@code public}. Not for SQLite. Lower-case letters, digits and underscores.
         */
        public Builder schema(String value) {
            this.schema = value;
            return this;
        }

        /** The table name prefix, {@code "eskit_"} by default. Lower-case letters, digits and underscores. */
        public Builder tablePrefix(String value) {
            this.tablePrefix = value;
            return this;
        }

        /** SQLite's {@code synchronous} setting for the writer: {@code NORMAL} (default) or {@code FULL}. */
        public Builder synchronous(Synchronous value) {
            this.synchronous = Objects.requireNonNull(value, "synchronous");
            return this;
        }

        /** How long a SQLite connection waits for a lock held by another process; 10 seconds by default. */
        public Builder busyTimeout(Duration value) {
            if (value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
                throw new StoreConfigurationException("Busy timeout " + value + " is out of range. Use a duration"
                        + " between 0 and 24 days.");
            }
            this.busyTimeout = value;
            return this;
        }

        /**
         * The size of the store's own HikariCP pool when built from a URL (PostgreSQL: every connection; SQLite:
         * reader connections, besides the one writer connection the store keeps); 8 by default.
         */
        public Builder maxConnections(int value) {
            if (value < 1 || value > 1000) {
                throw new StoreConfigurationException("maxConnections " + value + " is out of range. Use 1 to 1000.");
            }
            this.maxConnections = value;
            return this;
        }

        /** The clock that stamps events; the system UTC clock by default. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Opens tables that already exist instead of creating or migrating them: {@link #build()} fails with a
         * {@link StoreConfigurationException} when the database has no eskit tables under the configured schema and
         * prefix. For tools that inspect a store and must not change it.
         */
        public Builder openExisting() {
            this.openExisting = true;
            return this;
        }

        /**
         * Opens an existing store for reading only ({@link #openExisting()} implied): a SQLite file is opened
         * read-only and its journal mode is left as it is, so inspection tools never change the file (a file without
         * write permission can be read). Appends and other writes then fail. Needs {@link #url(String)} on SQLite.
         */
        public Builder readOnly() {
            this.openExisting = true;
            this.readOnly = true;
            return this;
        }

        /**
         * Whether {@link #build()} creates and migrates the tables (the default). With {@code false} it only checks
         * that they are at the schema version this release needs and fails with a {@link StoreConfigurationException}
         * saying which scripts to run otherwise: for schemas managed by Flyway or Liquibase with the scripts eskit-jdbi
         * ships ({@code dev/eskit/jdbi/sqlite|postgres/V*.sql}; see {@code docs/stores.md}).
         */
        public Builder autoMigrate(boolean value) {
            this.autoMigrate = value;
            return this;
        }

        /**
         * Whether concurrent appends share one transaction and one commit (group commit). Each keeps its own version
         * check, idempotency key and result; a lone writer never waits for company. By default on for SQLite (one
         * writer at a time; a group shares the commit's pages), off for PostgreSQL (writers run in parallel there, and
         * grouping cost more than it saved: {@code docs/stores.md}, "Group commit").
         */
        public Builder groupCommit(boolean value) {
            this.groupCommit = value;
            return this;
        }

        /**
         * SQLite only: whether the events table keeps an index on (event type, position). Off by default since schema
         * version 11: each append would write one more page for it. Reads filtered by event type (subscriptions,
         * {@link #readAll(Position, int, Set)} with types) scan the log by position instead and remember how far they
         * got, so a subscription to a rare type scans each event once. Turn it on for a store that runs Dynamic
         * Consistency Boundary queries with event types but no tags, or reads one type from the start of a long log
         * often: {@link #build()} then creates the index where it is missing. Turning it off again leaves an existing
         * index in place (drop it with {@code DROP INDEX eskit_events_type}, the prefix's name). PostgreSQL always
         * keeps its own.
         */
        public Builder eventTypeIndex(boolean value) {
            this.eventTypeIndex = value;
            return this;
        }

        /** For tests: how many groups may be written at once (the engine's choice by default). */
        Builder groupWriters(int value) {
            this.groupWriters = value;
            return this;
        }

        /** For tests: runs inside every append transaction, just before commit. */
        Builder appendHook(AppendHook value) {
            this.hook = value;
            return this;
        }

        /**
         * Opens the store and creates or migrates its tables.
         *
         * @throws StoreConfigurationException when the settings do not fit together
         * @throws StoreAccessException        when the database cannot be reached or migrated
         */
        public JdbiEventStore build() {
            int sources = (url != null ? 1 : 0) + (jdbi != null ? 1 : 0) + (dataSource != null ? 1 : 0);
            if (sources != 1) {
                throw new StoreConfigurationException("Give the store exactly one database: url(...), jdbi(...) or"
                        + " dataSource(...); " + sources + " were given.");
            }
            Jdbi target = jdbi != null ? jdbi : dataSource != null ? Jdbi.create(dataSource) : null;
            Database db = Database.open(url, target, schema, tablePrefix, synchronous, busyTimeout, maxConnections,
                    readOnly);
            try {
                new Migrations(db).prepare(openExisting, autoMigrate);
                if (eventTypeIndex && !openExisting && db instanceof SqliteDatabase sqlite) {
                    sqlite.createEventTypeIndex();
                }
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            boolean grouped = groupCommit != null ? groupCommit : !(db instanceof PostgresDatabase);
            return new JdbiEventStore(db, codec, clock, hook, grouped, groupWriters);
        }
    }
}
