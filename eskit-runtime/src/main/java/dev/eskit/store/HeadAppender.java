package dev.eskit.store;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import java.util.Optional;
import java.util.UUID;

/**
 * A store that appends to a stream only while the stream's last event is still a given one, in the append's own
 * round trip. A command handler with a state cache uses it to decide on its cached state without reading the stream
 * first: when the stream is still where the cache left it, one statement decides nothing and writes the events; when
 * it is not, nothing is written and the handler reads the stream and decides again, as without the cache.
 *
 * <p>The in-memory store and the Jdbi store (PostgreSQL and SQLite) implement it, and so do a tenant's view and the
 * observability decorators where the store they wrap does. Other wrappers (a {@link ForwardingEventStore} of your own,
 * the append hooks' store, which must run its hooks) do not inherit it: a command handler on such a store reads before
 * it decides, as always.
 */
public interface HeadAppender {

    /**
     * Whether {@link #appendAtHead} can append at all on this store; when {@code false} it always returns empty
     * and callers should not try.
     */
    boolean appendsAtHead();

    /**
     * Appends {@code request} only if its stream is open (not archived or tombstoned), its version is the request's
     * {@link ExpectedVersion#exactly exact} expected version (at least 1) and the event at that version has the id
     * {@code headEventId}; in one atomic step with the check. So a stream that was deleted and written again up to
     * the same version (other event ids) is not mistaken for the one the caller saw.
     *
     * @return the append's result, or empty when the stream is not at that event (or the request is not one this
     *         store can check this way: an idempotency key, tags, or another kind of expected version): nothing was
     *         written, and the caller reads the stream and appends as usual
     * @throws dev.eskit.InvalidInputException for input {@code append} refuses
     */
    Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId);
}
