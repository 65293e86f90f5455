package com.acme.lists;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/** Events of lists. */
public sealed interface ListEvent {
    /** An item was added. */
    @Event
    record ItemAdded(@Tag("list") String listId) implements ListEvent {
    }

    /** An item was removed. */
    @Event
    record ItemRemoved(@Tag("list") String listId) implements ListEvent {
    }

    /** A list was renamed. */
    @Event
    record ListRenamed(@Tag("list") String listId, String name) implements ListEvent {
    }
}
