package dev.eskit.automation;

import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Names;
import dev.eskit.StoredEvent;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.EventHandler;
import dev.eskit.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs {@link Automation}s: a subscription whose handler sends each command an event causes through a
 * {@link CommandBus}.
 *
 * <p>Every command gets a {@link CommandContext} derived from the event ({@link #context}): the correlation id is
 * copied (the event's id when it has none), the causation id is the event's id, the initiator, originator and extras
 * are copied, and the command id and idempotency key are derived from the automation's name, the event's id and the
 * command's index. A redelivered event (delivery is at least once) therefore sends commands with the same idempotency
 * keys, and a command that already appended its events is not applied twice.
 *
 * <pre>{@code
 * Subscription stock = Automations.subscription("reserve-stock", store, checkpoints, bus, reserve)
 *     .eventTypes("shop.OrderPlaced")
 *     .build()
 *     .start();
 * }</pre>
 */
public final class Automations {
    private Automations() {
    }

    /** A subscription builder named {@code name} whose handler runs {@code automation} and sends through {@code bus}. */
    public static Subscription.Builder subscription(String name, EventStore store, CheckpointStore checkpoints,
                                                    CommandBus bus, Automation automation) {
        return Subscription.builder(name, store, checkpoints).handler(handler(name, bus, automation));
    }

    /** The handler that runs {@code automation} for each event and sends its commands through {@code bus}, in order. */
    public static EventHandler handler(String name, CommandBus bus, Automation automation) {
        String checkedName = Names.check("Automation name", name);
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(automation, "automation");
        return event -> {
            List<?> commands = automation.react(event);
            if (commands == null) {
                throw new AutomationException("Automation \"" + checkedName + "\" returned null for event "
                        + event.id() + ". Return an empty list when an event causes no commands.");
            }
            for (int i = 0; i < commands.size(); i++) {
                bus.send(commands.get(i), context(checkedName, event, i));
            }
        };
    }

    /**
     * The context of the {@code index}-th command (from 0) that automation {@code name} sends for {@code event}: see
     * the class description. The same inputs always give the same command id and idempotency key.
     */
    public static CommandContext context(String name, StoredEvent<?> event, int index) {
        Metadata source = event.metadata();
        String eventId = event.id().toString();
        Metadata metadata = new Metadata(
                source.correlationId() != null ? source.correlationId() : eventId,
                eventId,
                source.initiator(),
                source.originator(),
                source.extras());
        String commandId = UUID.nameUUIDFromBytes((name + '\0' + eventId + '\0' + index)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new CommandContext(commandId, metadata, "automation-" + commandId);
    }
}
