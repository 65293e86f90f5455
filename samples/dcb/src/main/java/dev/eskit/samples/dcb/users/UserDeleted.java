package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A user was deleted, which releases its name. Tagged {@code user:<id>} and {@code username:<name>}.
 *
 * @param userId   the user
 * @param username the name it had
 */
@Event
public record UserDeleted(@Tag("user") String userId, @Tag("username") String username) implements UserEvent {
}
