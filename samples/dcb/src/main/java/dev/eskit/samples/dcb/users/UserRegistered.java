package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A user registered with a name. Tagged {@code user:<id>} and {@code username:<name>}.
 *
 * @param userId   the user
 * @param username the name, unique among users that are not deleted
 */
@Event
public record UserRegistered(@Tag("user") String userId, @Tag("username") String username) implements UserEvent {
}
