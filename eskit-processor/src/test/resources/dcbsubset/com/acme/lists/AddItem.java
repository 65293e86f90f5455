package com.acme.lists;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;

/** Adds at most three items: folds two of the three list events, and decides one of the two list commands. */
@DcbDecider(query = @QueryItem(types = {ListEvent.ItemAdded.class, ListEvent.ItemRemoved.class}, tags = "list"))
final class AddItem {
    @InitialState
    static Integer initial() {
        return 0;
    }

    @Decide
    static ListEvent.ItemAdded decide(Integer count, ListCommand.AddItem command) {
        if (count >= 3) {
            throw new IllegalStateException("full");
        }
        return new ListEvent.ItemAdded(command.listId());
    }

    @Evolve
    static Integer added(Integer count, ListEvent.ItemAdded event) {
        return count + 1;
    }

    @Evolve
    static Integer removed(Integer count, ListEvent.ItemRemoved event) {
        return count - 1;
    }
}
