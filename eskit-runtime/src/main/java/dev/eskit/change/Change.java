package dev.eskit.change;

import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.Position;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A committed change of a read model: which keys changed, and the log position the read model now reflects. An empty
 * key set means that the read model changed as a whole (or in too many places to list): every subscriber of the read
 * model, whatever key it watches, receives it.
 *
 * @param readModel the read model's name (a projection's name, such as {@code "balances"})
 * @param keys      the keys that changed (such as account ids); empty for "anything may have changed"
 * @param position  the position of the last event the committed update applied
 */
public record Change(String readModel, Set<String> keys, Position position) implements ChangeSignal {

    /** The most keys one change lists; announce a whole-model change (no keys) for more. */
    public static final int MAX_KEYS = 10_000;

    /** Validates the name, copies the keys and checks them. */
    public Change {
        Names.check("Read model name", readModel);
        Objects.requireNonNull(position, "position");
        keys = Set.copyOf(Objects.requireNonNull(keys, "keys"));
        if (keys.size() > MAX_KEYS) {
            throw new InvalidInputException("A change of \"" + readModel + "\" lists " + keys.size() + " keys, more"
                    + " than " + MAX_KEYS + ". Announce a change of the whole read model (no keys) instead.");
        }
        for (String key : keys) {
            Names.check("Read model key", key);
        }
    }

    /** A change of {@code keys} of {@code readModel} at {@code position}. */
    public static Change of(String readModel, Collection<String> keys, Position position) {
        return new Change(readModel, Set.copyOf(keys), position);
    }

    /** A change of the whole of {@code readModel} at {@code position}. */
    public static Change whole(String readModel, Position position) {
        return new Change(readModel, Set.of(), position);
    }

    /** Whether it changed the whole read model rather than listed keys. */
    public boolean isWhole() {
        return keys.isEmpty();
    }
}
