package dev.eskit.jdbi;

import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;

/** Builds a store from the URL in {@code args[0]} and prints what it threw, for {@link MissingDriverTest}. */
public final class MissingDriverMain {
    private MissingDriverMain() {
    }

    public static void main(String[] args) {
        try (JdbiEventStore store = JdbiEventStore.builder(JsonEventCodec.create(EventTypes.builder().build()))
                .url(args[0]).build()) {
            System.out.println("opened " + store.databaseName());
        } catch (RuntimeException | Error e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
