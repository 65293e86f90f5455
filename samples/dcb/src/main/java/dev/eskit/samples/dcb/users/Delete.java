package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;

/** Deletes a registered user: the boundary is the user's own events. */
@DcbDecider(query = @QueryItem(types = {UserRegistered.class, UserDeleted.class}, tags = "user"))
final class Delete {

    /** The user's name while registered; {@code null} before registration and after deletion. */
    record User(String username) {
    }

    private Delete() {
    }

    @InitialState
    static User initial() {
        return new User(null);
    }

    @Decide
    static UserDeleted decide(User user, DeleteUser command) {
        if (user.username() == null) {
            throw new RejectedException("User " + command.userId() + " is not registered.");
        }
        return new UserDeleted(command.userId(), user.username());
    }

    @Evolve
    static User registered(User user, UserRegistered event) {
        return new User(event.username());
    }

    @Evolve
    static User deleted(User user, UserDeleted event) {
        return new User(null);
    }
}
