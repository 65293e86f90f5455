package dev.eskit.command.log;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the command log lives: in memory ({@link #inMemory()}) or in a table of the SQLite or PostgreSQL store
 * ({@code JdbiCommandLog} in eskit-jdbi). A {@link CommandRecorder} writes to it; tools read it.
 */
public interface CommandLog {

    /**
     * Stores {@code entry}; a second entry with the same command id is ignored (a redelivered command that the first
     * delivery already logged).
     */
    void record(CommandLogEntry entry);

    /**
     * Appends {@code request} to {@code store} and records the entry {@code entry} makes of the result, in one
     * transaction when the log and the store share a database, so that an entry never claims events that did not
     * commit. A duplicate append (an idempotency key seen before) records nothing. This default appends, then
     * records: a crash between the two loses the entry, never invents events.
     */
    default AppendResult appendAndRecord(EventStore store, AppendRequest request,
                                         Function<AppendResult, CommandLogEntry> entry) {
        AppendResult result = store.append(request);
        if (!result.duplicate()) {
            record(entry.apply(result));
        }
        return result;
    }

    /** The entry of command {@code commandId}, if logged and not deleted. */
    Optional<CommandLogEntry> find(String commandId);

    /** The entries {@code query} selects, newest first. */
    List<CommandLogEntry> list(CommandLogQuery query);

    /** Deletes the entries of commands started before {@code cutoff}; returns how many. */
    int deleteStartedBefore(Instant cutoff);

    /**
     * The personal-data protector of the event store this log belongs to, if it has one: a {@link CommandRecorder}
     * without its own protector encrypts payloads and seals personal metadata with it. The in-memory log has none.
     */
    default Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return Optional.empty();
    }

    /** A log in this JVM's memory, for tests and single-process applications that need no history. */
    static CommandLog inMemory() {
        return new InMemoryCommandLog();
    }
}
