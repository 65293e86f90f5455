package dev.eskit.testing;

import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automation;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;

/**
 * A Given/Then fixture for an {@link Automation}: given events (wrapped as a store would store them), then the commands
 * it sends, in order.
 *
 * <pre>{@code
 * AutomationSpec.of(reserveStock)
 *     .given(new OrderPlaced("o-1", "apple", 2))
 *     .then(new ReserveStock("apple", 2));
 * }</pre>
 *
 * <p>Each given event gets the wire name and schema version of its registered type (from the registries on the class
 * path, or a registry you pass), the next version of its stream ({@code given/1} unless named) and the next global
 * position, so an automation that reads {@code event.eventType()} or {@code event.streamId()} can be tested too.
 */
public final class AutomationSpec {

    private final Automation automation;
    private final EventTypes registry;

    private AutomationSpec(Automation automation, EventTypes registry) {
        this.automation = Objects.requireNonNull(automation, "automation");
        this.registry = registry;
    }

    /** A fixture for {@code automation}, with the event types on the class path. */
    public static AutomationSpec of(Automation automation) {
        return new AutomationSpec(automation, StoredEvents.discover(automation));
    }

    /** A fixture for {@code automation}, with the event types of {@code registry}. */
    public static AutomationSpec of(Automation automation, EventTypeRegistry registry) {
        return new AutomationSpec(automation, StoredEvents.of(registry));
    }

    /** Lets the automation react to these events, in order, on stream {@code given/1}. */
    public Sent given(Object... events) {
        return given(StoredEvents.DEFAULT_STREAM, Arrays.asList(events));
    }

    /** Lets the automation react to these events, in order, as events of {@code stream}. */
    public Sent given(StreamRef stream, List<?> events) {
        Objects.requireNonNull(stream, "stream");
        StoredEvents stored = new StoredEvents(registry);
        List<Object> commands = new ArrayList<>();
        Exception error = null;
        for (Object event : events) {
            StoredEvent<Object> next = stored.next(stream, event);
            try {
                List<?> reaction = automation.react(next);
                if (reaction == null) {
                    throw new AssertionError("react returned null for " + event + "; return an empty list");
                }
                commands.addAll(reaction);
            } catch (Exception failure) {
                error = failure;
                break;
            }
        }
        return new Sent(List.copyOf(commands), error);
    }

    /** The commands the automation sent for the given events; each check returns it, so checks chain. */
    public static final class Sent {
        private final List<Object> commands;
        private final Exception error;

        Sent(List<Object> commands, Exception error) {
            this.commands = commands;
            this.error = error;
        }

        /** Expects exactly these commands, in this order. */
        public Sent then(Object... expected) {
            return then(Arrays.asList(expected));
        }

        /** Expects exactly these commands, in this order. */
        public Sent then(List<?> expected) {
            failOnError();
            if (!commands.equals(expected)) {
                throw new AssertionFailedError("Given the events\n" + Diff.events(expected, commands)
                        .replace("event(s)", "command(s)").replace("at event", "at command"), expected, commands);
            }
            return this;
        }

        /** Expects no commands. */
        public Sent thenNoCommands() {
            return then(List.of());
        }

        /** Expects {@code react} to have thrown an exception of {@code type} (or a subtype). */
        public Sent thenError(Class<? extends Throwable> type) {
            if (error == null || !type.isInstance(error)) {
                AssertionError failure = new AssertionError("expected " + type.getName() + " to be thrown, but "
                        + (error == null ? "the automation sent " + commands : error.getClass().getName() + " was: "
                        + error.getMessage()));
                if (error != null) {
                    failure.initCause(error);
                }
                throw failure;
            }
            return this;
        }

        /** The commands sent, in order. */
        public List<Object> commands() {
            failOnError();
            return commands;
        }

        private void failOnError() {
            if (error != null) {
                AssertionError failure = new AssertionError("react threw " + error.getClass().getName() + ": "
                        + error.getMessage());
                failure.initCause(error);
                throw failure;
            }
        }
    }
}
