package com.acme.lists;

import dev.eskit.annotations.Tag;

/** Commands of lists; each DCB decider decides one of them. */
public sealed interface ListCommand {
    /** Adds an item. */
    record AddItem(@Tag("list") String listId) implements ListCommand {
    }

    /** Renames a list. */
    record RenameList(@Tag("list") String listId, String name) implements ListCommand {
    }
}
