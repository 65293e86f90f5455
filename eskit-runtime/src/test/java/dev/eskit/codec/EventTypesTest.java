package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.UnknownEventTypeException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTypesTest {

    record Deposited(String id, long amount) {
    }

    record Withdrawn(String id, long amount) {
    }

    record Closed(String id) {
    }

    /** A registry that a test lists in a generated {@code META-INF/services} file. */
    public static final class BankRegistry implements EventTypeRegistry {
        /** Needed by ServiceLoader. */
        public BankRegistry() {
        }

        @Override
        public List<EventType<?>> eventTypes() {
            return List.of(EventType.of("bank.Deposited", Deposited.class), EventType.of("bank.Closed", Closed.class));
        }
    }

    @Test
    void typesAreFoundByNameAliasAndClass() {
        EventType<Withdrawn> withdrawn = new EventType<>("bank.Withdrawn", Withdrawn.class, 2,
                List.of("bank.Debited"), Map.of(1, node -> node));
        EventTypes types = EventTypes.builder().add("bank.Deposited", Deposited.class).add(withdrawn).build();
        assertSame(withdrawn, types.byName("bank.Withdrawn"));
        assertSame(withdrawn, types.byName("bank.Debited"));
        assertSame(withdrawn, types.byClass(Withdrawn.class));
        assertEquals(Deposited.class, types.byName("bank.Deposited").javaType());
        assertEquals(2, types.byClass(Withdrawn.class).version());
    }

    @Test
    void eventTypesAreListedSortedByName() {
        EventTypes types = EventTypes.builder().add("z.Last", Closed.class).add("a.First", Deposited.class)
                .add("m.Middle", Withdrawn.class).build();
        assertEquals(List.of("a.First", "m.Middle", "z.Last"),
                types.eventTypes().stream().map(EventType::name).toList());
    }

    @Test
    void findReturnsNullForUnknownTypes() {
        EventTypes types = EventTypes.builder().add("bank.Deposited", Deposited.class).build();
        assertNull(types.findByName("bank.Nope"));
        assertNull(types.findByClass(Closed.class));
    }

    @Test
    void aWireNameUsedTwiceIsRejected() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> EventTypes.builder()
                .add("bank.Moved", Deposited.class).add("bank.Moved", Withdrawn.class).build());
        assertTrue(error.getMessage().contains("\"bank.Moved\""), error.getMessage());
        assertTrue(error.getMessage().contains(Deposited.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains(Withdrawn.class.getName()), error.getMessage());
    }

    @Test
    void anAliasThatIsAnotherTypesNameIsRejected() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> EventTypes.builder()
                .add("bank.Deposited", Deposited.class)
                .add(new EventType<>("bank.Withdrawn", Withdrawn.class, 1, List.of("bank.Deposited"), Map.of()))
                .build());
        assertTrue(error.getMessage().contains("\"bank.Deposited\""), error.getMessage());
    }

    @Test
    void anAliasClaimedByTwoTypesIsRejected() {
        assertThrows(InvalidInputException.class, () -> EventTypes.builder()
                .add(new EventType<>("bank.Deposited", Deposited.class, 1, List.of("bank.Old"), Map.of()))
                .add(new EventType<>("bank.Withdrawn", Withdrawn.class, 1, List.of("bank.Old"), Map.of()))
                .build());
    }

    @Test
    void aClassRegisteredTwiceIsRejected() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> EventTypes.builder()
                .add("bank.Deposited", Deposited.class).add("bank.Credited", Deposited.class).build());
        assertTrue(error.getMessage().contains("registered twice"), error.getMessage());
    }

    @Test
    void conflictsBetweenRegistriesAreRejected() {
        EventTypeRegistry first = () -> List.of(EventType.of("bank.Deposited", Deposited.class));
        EventTypeRegistry second = () -> List.of(EventType.of("bank.Deposited", Withdrawn.class));
        assertThrows(InvalidInputException.class, () -> EventTypes.of(first, second));
        EventTypeRegistry third = () -> List.of(EventType.of("bank.Withdrawn", Withdrawn.class));
        assertEquals(2, EventTypes.of(first, third).eventTypes().size());
    }

    @Test
    void anUnknownNameSuggestsTheNearestKnownName() {
        EventTypes types = EventTypes.builder().add("bank.Deposited", Deposited.class)
                .add("bank.Withdrawn", Withdrawn.class).build();
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class,
                () -> types.byName("bank.Deposit"));
        assertTrue(error.getMessage().contains("Did you mean \"bank.Deposited\"?"), error.getMessage());
        assertTrue(error.getMessage().contains("\"bank.Deposit\""), error.getMessage());
    }

    @Test
    void aNameFarFromEveryKnownNameGetsNoSuggestion() {
        EventTypes types = EventTypes.builder().add("bank.Deposited", Deposited.class).build();
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class,
                () -> types.byName("shipping.ParcelLost"));
        assertFalse(error.getMessage().contains("Did you mean"), error.getMessage());
    }

    @Test
    void anUnknownClassSaysHowToRegisterIt() {
        EventTypes types = EventTypes.builder().build();
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class,
                () -> types.byClass(Closed.class));
        assertTrue(error.getMessage().contains(Closed.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains("@Event"), error.getMessage());
    }

    @Test
    void discoverWithNoRegistriesIsEmpty() {
        assertEquals(List.of(), EventTypes.discover().eventTypes());
        try (URLClassLoader isolated = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            assertEquals(List.of(), EventTypes.discover(isolated).eventTypes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void discoverFindsRegistriesListedAsServices(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(EventTypeRegistry.class.getName()),
                "# the bank registry\n" + BankRegistry.class.getName() + "\n", StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            EventTypes types = EventTypes.discover(loader);
            assertEquals(List.of("bank.Closed", "bank.Deposited"),
                    types.eventTypes().stream().map(EventType::name).toList());
            assertEquals(Deposited.class, types.byName("bank.Deposited").javaType());
        }
    }

    @Test
    void eventTypeRejectsBadDefinitions() {
        assertThrows(InvalidInputException.class, () -> EventType.of(" ", Deposited.class));
        assertThrows(InvalidInputException.class,
                () -> new EventType<>("bank.Deposited", Deposited.class, 0, List.of(), Map.of()));
        InvalidInputException outOfRange = assertThrows(InvalidInputException.class,
                () -> new EventType<>("bank.Deposited", Deposited.class, 2, List.of(), Map.of(2, node -> node)));
        assertTrue(outOfRange.getMessage().contains("upcaster from version 2"), outOfRange.getMessage());
        assertThrows(InvalidInputException.class,
                () -> new EventType<>("bank.Deposited", Deposited.class, 2, List.of(), Map.of(0, node -> node)));
    }

    @Test
    void defaultNameIsLastPackageSegmentAndSimpleName() {
        assertEquals("bank.Deposited", EventType.defaultName("com.acme.bank", "Deposited"));
        assertEquals("Deposited", EventType.defaultName("", "Deposited"));
        assertEquals("acme.Deposited", EventType.defaultName("acme", "Deposited"));
    }

    @Test
    void manyNamesAndAliasesResolveFromFreshStringsIncludingSharedQuickSlots() {
        List<String> depositNames = new java.util.ArrayList<>();
        List<String> withdrawNames = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            depositNames.add("bank.Deposited" + i);
            withdrawNames.add("bank.Withdrawn" + i);
        }
        EventTypes types = EventTypes.builder()
                .add(new EventType<>("bank.Deposited", Deposited.class, 1, depositNames, null, null, null))
                .add(new EventType<>("bank.Withdrawn", Withdrawn.class, 1, withdrawNames, null, null, null))
                .build();
        for (int i = 0; i < 300; i++) {
            // New strings, as a store reads them per row (no cached hash, not the registered instance).
            assertEquals(Deposited.class, types.byName(new String(depositNames.get(i).toCharArray())).javaType());
            assertEquals(Withdrawn.class, types.byName(new String(withdrawNames.get(i).toCharArray())).javaType());
        }
        assertEquals(Deposited.class, types.byName("bank.Deposited").javaType());
        // Same length and same last characters as registered names, but not registered.
        assertThrows(UnknownEventTypeException.class, () -> types.byName("bank.Deposxted12"));
        assertThrows(UnknownEventTypeException.class, () -> types.byName("bank.Deposited300"));
        assertThrows(UnknownEventTypeException.class, () -> types.byName(""));
    }
}
