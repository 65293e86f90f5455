package dev.eskit;

import java.util.Objects;

/**
 * Who did something, typed: a kind ({@code user}, {@code service}, {@code system}, or your own) and an id. Stored in
 * {@link Metadata#initiator()} and {@link Metadata#originator()} as {@code "kind:id"}, so existing string metadata and
 * tools keep working.
 *
 * <pre>{@code
 * Metadata metadata = Metadata.empty().withInitiator(Principal.user("alice"));   // initiator "user:alice"
 * Optional<Principal> who = stored.metadata().initiatorPrincipal();              // Principal[kind=user, id=alice]
 * }</pre>
 *
 * @param kind what sort of actor: 1 to 32 letters, digits, '-' or '_'
 * @param id   which one: not empty
 */
public record Principal(String kind, String id) {

    /** The kind of people using the application. */
    public static final String USER = "user";
    /** The kind of other programs calling it. */
    public static final String SERVICE = "service";
    /** The kind of the application itself (schedulers, automations, migrations). */
    public static final String SYSTEM = "system";

    /** Validates the kind and id. */
    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (kind.isEmpty() || kind.length() > 32 || !kind.chars().allMatch(c -> Character.isLetterOrDigit(c)
                || c == '-' || c == '_')) {
            throw new InvalidInputException("Principal kind \"" + kind + "\" is not 1 to 32 letters, digits, '-' or"
                    + " '_'. Use a kind such as \"user\", \"service\" or \"system\".");
        }
        if (id.isEmpty()) {
            throw new InvalidInputException("Principal id is empty. Give the id of the " + kind + ".");
        }
    }

    /** A person: {@code user:<id>}. */
    public static Principal user(String id) {
        return new Principal(USER, id);
    }

    /** Another program: {@code service:<id>}. */
    public static Principal service(String id) {
        return new Principal(SERVICE, id);
    }

    /** The application itself, doing {@code what}: {@code system:<what>}. */
    public static Principal system(String what) {
        return new Principal(SYSTEM, what);
    }

    /**
     * The principal written as {@code "kind:id"}, or {@code null} for a value that is not one (older metadata, or a
     * plain name written by hand).
     */
    public static Principal parse(String value) {
        if (value == null) {
            return null;
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return null;
        }
        try {
            return new Principal(value.substring(0, colon), value.substring(colon + 1));
        } catch (InvalidInputException notAPrincipal) {
            return null;
        }
    }

    /** {@code "kind:id"}, as stored in metadata. */
    @Override
    public String toString() {
        return kind + ":" + id;
    }
}
