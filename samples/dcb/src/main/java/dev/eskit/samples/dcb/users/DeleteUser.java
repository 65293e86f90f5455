package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.Tag;

/**
 * Deletes a user, releasing its name.
 *
 * @param userId the user
 */
public record DeleteUser(@Tag("user") String userId) {
}
