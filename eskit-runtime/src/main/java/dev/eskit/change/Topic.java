package dev.eskit.change;

import dev.eskit.Names;
import java.util.Objects;
import java.util.Optional;

/**
 * What a subscriber watches: a whole read model ({@code Topic.of("balances")}) or one key of it
 * ({@code Topic.of("balances", "alice")}). In text (for example in an SSE query) a topic is {@code balances} or
 * {@code balances:alice}.
 *
 * @param readModel the read model's name
 * @param key       the key, or {@code null} for every key
 */
public record Topic(String readModel, String key) {

    /** Validates the name and the key. */
    public Topic {
        Names.check("Read model name", readModel);
        if (key != null) {
            Names.check("Read model key", key);
        }
    }

    /** Every change of {@code readModel}. */
    public static Topic of(String readModel) {
        return new Topic(readModel, null);
    }

    /** The changes of {@code readModel} that touch {@code key} (and those of the whole read model). */
    public static Topic of(String readModel, String key) {
        return new Topic(readModel, Objects.requireNonNull(key, "key"));
    }

    /**
     * Reads the text form: {@code "balances"} or {@code "balances:alice"} (split at the first colon).
     *
     * @throws dev.eskit.InvalidInputException when the name or key is empty or too long
     */
    public static Topic parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        return colon < 0 ? of(text) : of(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The key, if it watches one. */
    public Optional<String> keyIfAny() {
        return Optional.ofNullable(key);
    }

    /** Whether {@code change} concerns this topic. */
    public boolean matches(Change change) {
        return readModel.equals(change.readModel()) && (key == null || change.isWhole() || change.keys().contains(key));
    }

    /** The text form that {@link #parse(String)} reads. */
    @Override
    public String toString() {
        return key == null ? readModel : readModel + ":" + key;
    }
}
