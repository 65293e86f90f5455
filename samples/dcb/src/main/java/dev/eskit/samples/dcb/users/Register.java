package dev.eskit.samples.dcb.users;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;
import java.util.HashSet;
import java.util.Set;

/**
 * Registers a user: the name must be free (registered and deleted events tagged with it say whether it is) and the
 * user id new.
 */
@DcbDecider(query = {
        @QueryItem(types = {UserRegistered.class, UserDeleted.class}, tags = "username"),
        @QueryItem(types = UserRegistered.class, tags = "user")})
final class Register {

    /** The names taken and the user ids seen in the boundary. */
    record Names(Set<String> taken, Set<String> users) {
    }

    private Register() {
    }

    @InitialState
    static Names initial() {
        return new Names(Set.of(), Set.of());
    }

    @Decide
    static UserRegistered decide(Names names, RegisterUser command) {
        if (names.users().contains(command.userId())) {
            throw new RejectedException("User " + command.userId() + " exists already.");
        }
        if (names.taken().contains(command.username())) {
            throw new RejectedException("The name \"" + command.username() + "\" is taken.");
        }
        return new UserRegistered(command.userId(), command.username());
    }

    @Evolve
    static Names registered(Names names, UserRegistered event) {
        Set<String> taken = new HashSet<>(names.taken());
        taken.add(event.username());
        Set<String> users = new HashSet<>(names.users());
        users.add(event.userId());
        return new Names(taken, users);
    }

    @Evolve
    static Names deleted(Names names, UserDeleted event) {
        Set<String> taken = new HashSet<>(names.taken());
        taken.remove(event.username());
        return new Names(taken, names.users());
    }
}
