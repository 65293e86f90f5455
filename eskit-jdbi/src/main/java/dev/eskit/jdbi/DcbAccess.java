package dev.eskit.jdbi;

import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.PreparedDcbAppend;
import dev.eskit.dcb.Query;
import java.util.List;
import java.util.Objects;

/**
 * The Dynamic Consistency Boundary side of a {@link JdbiEventStore} (see {@code docs/dcb.md}): conditional appends,
 * which wake this JVM's subscriptions after they commit, and query reads. The transaction itself is
 * {@link AppendTransaction#appendByCondition}.
 */
final class DcbAccess {

    private final EventCodec codec;
    private final AppendTransaction appends;
    private final EventReader reader;
    private final Runnable committed;

    DcbAccess(EventCodec codec, AppendTransaction appends, EventReader reader, Runnable committed) {
        this.codec = codec;
        this.appends = appends;
        this.reader = reader;
        this.committed = committed;
    }

    /** See {@link StoreFacets#append(List, AppendCondition, Metadata)}. */
    AppendResult append(List<?> events, AppendCondition condition, Metadata metadata) {
        PreparedDcbAppend prepared = PreparedDcbAppend.prepare(codec.types(), events, metadata);
        AppendResult result = appends.appendByCondition(prepared.request(), prepared.tags(), condition);
        committed.run();
        return result;
    }

    /** See {@link dev.eskit.dcb.DcbEventStore#read(Query, Position, int)}. */
    List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        EventStore.checkReadLimit(limit);
        return reader.read(query, after, limit);
    }
}
