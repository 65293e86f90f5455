package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.Tag;

/**
 * Registers a user under a name nobody else holds.
 *
 * @param userId   a new user id
 * @param username the wanted name
 */
public record RegisterUser(@Tag("user") String userId, @Tag("username") String username) {
}
