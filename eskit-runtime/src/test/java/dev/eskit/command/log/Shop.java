package dev.eskit.command.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Decider;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.PersonalDataRegistry;
import java.util.List;
import java.util.Set;

/** A tiny domain for the command log tests: customers register with an e-mail (personal data) and order items. */
final class Shop {

    sealed interface Command permits Register, Order, Touch {
    }

    record Register(String customerId, String email) implements Command {
    }

    record Order(String customerId, int items) implements Command {
    }

    record Touch(String customerId) implements Command {
    }

    sealed interface Event permits Registered, Ordered {
    }

    record Registered(String customerId) implements Event {
    }

    record Ordered(int items) implements Event {
    }

    static final EventTypes EVENTS = EventTypes.builder()
            .add("shop.Registered", Registered.class)
            .add("shop.Ordered", Ordered.class)
            .build();

    static final CommandTypes COMMANDS = CommandTypes.of(
            CommandType.of("shop.Register", Register.class),
            CommandType.of("shop.Order", Order.class),
            CommandType.of("shop.Touch", Touch.class));

    static final Decider<Boolean, Command, Event> DECIDER = Decider.of(() -> false, (Boolean registered, Command c) -> {
        if (c instanceof Register r) {
            return List.<Event>of(new Registered(r.customerId()));
        }
        if (c instanceof Order o) {
            if (!registered) {
                throw new IllegalStateException("customer " + o.customerId() + " is not registered");
            }
            return List.<Event>of(new Ordered(o.items()), new Ordered(o.items()));
        }
        return List.<Event>of();
    }, (Boolean registered, Event e) -> true);

    static List<CommandRoute<?, ?, ?>> routes() {
        return List.of(
                CommandRoute.of(Register.class, "customer", Register::customerId, DECIDER),
                CommandRoute.of(Order.class, "customer", Order::customerId, DECIDER),
                CommandRoute.of(Touch.class, "customer", Touch::customerId, DECIDER));
    }

    /** Hand-written the way the processor generates it for a command with a {@code @PersonalData} e-mail. */
    static final class PersonalData implements PersonalDataRegistry {
        @Override
        public Set<String> eventTypes() {
            return Set.of("shop.Register");
        }

        @Override
        public void encrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.encrypt(data, "email", FieldCipher.subject(data, "customerId", type));
        }

        @Override
        public void decrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.decrypt(data, "email", FieldCipher.ERASED_TEXT);
        }
    }

    private Shop() {
    }
}
