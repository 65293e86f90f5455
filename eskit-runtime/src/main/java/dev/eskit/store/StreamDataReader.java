package dev.eskit.store;

import dev.eskit.EventStore;
import dev.eskit.StreamRef;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A store that hands a stream's decoded events to a fold without the rest of what a {@link dev.eskit.StoredEvent}
 * carries: no metadata is decoded, no timestamp, position or event object is built per event. A command handler that
 * only folds the events (no snapshot tracking personal data) loads this way; the Jdbi stores implement it, and for
 * other stores {@link #load} falls back to {@link EventStore#load(StreamRef, long, Consumer)}.
 */
public interface StreamDataReader {

    /** Receives one event of a stream: its version and its decoded, upcast data. */
    @FunctionalInterface
    interface DataAction {
        /** Takes event {@code version} of the stream, decoded as {@code data}. */
        void accept(long version, Object data);
    }

    /**
     * Calls {@code action} with the version and the data of each event of {@code stream} from {@code fromVersion}, in
     * version order: the events {@link EventStore#load(StreamRef, long, Consumer)} would hand over, with the same
     * failures ({@code EventDecodingException} naming the event), the same paging and no connection held while
     * {@code action} runs.
     *
     * @throws dev.eskit.InvalidInputException when {@code fromVersion} is negative
     */
    void loadData(StreamRef stream, long fromVersion, DataAction action);

    /** Receives one event of a stream: its version, its id and its decoded, upcast data. */
    @FunctionalInterface
    interface IdentifiedDataAction {
        /** Takes event {@code version} of the stream, stored with {@code id}, decoded as {@code data}. */
        void accept(long version, UUID id, Object data);
    }

    /**
     * {@link #loadData} with each event's id as well: what a command handler's state cache checks its cached event
     * against. A store that can do this hands the events over and returns {@code true}; this default does nothing
     * and returns {@code false}, and {@link #loadWithIds} then loads with {@code load}.
     *
     * @throws dev.eskit.InvalidInputException when {@code fromVersion} is negative
     */
    default boolean loadDataWithIds(StreamRef stream, long fromVersion, IdentifiedDataAction action) {
        return false;
    }

    /** {@code store}'s {@link #loadDataWithIds} when it has one, else its {@code load} with the metadata decoded. */
    static void loadWithIds(EventStore store, StreamRef stream, long fromVersion, IdentifiedDataAction action) {
        if (!(store instanceof StreamDataReader reader && reader.loadDataWithIds(stream, fromVersion, action))) {
            store.load(stream, fromVersion, event -> action.accept(event.version(), event.id(), event.data()));
        }
    }

    /** {@code store}'s {@link #loadData} when it has one, else its {@code load} with the metadata decoded. */
    static void load(EventStore store, StreamRef stream, long fromVersion, DataAction action) {
        if (store instanceof StreamDataReader reader) {
            reader.loadData(stream, fromVersion, action);
        } else {
            store.load(stream, fromVersion, event -> action.accept(event.version(), event.data()));
        }
    }
}
