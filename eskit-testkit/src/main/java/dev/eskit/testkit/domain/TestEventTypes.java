package dev.eskit.testkit.domain;

import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import java.util.List;
import java.util.Map;

/** The event types of the conformance suite, registered by hand (the suite does not depend on the processor). */
public final class TestEventTypes {

    /** Wire name of {@link AccountOpened}. */
    public static final String ACCOUNT_OPENED = "testkit.AccountOpened";
    /** Wire name of {@link Deposited}. */
    public static final String DEPOSITED = "testkit.Deposited";
    /** Wire name of {@link Withdrawn}. */
    public static final String WITHDRAWN = "testkit.Withdrawn";
    /** Wire name of {@link Tagged}. */
    public static final String TAGGED = "testkit.Tagged";
    /** Wire name of {@link Blob}. */
    public static final String BLOB = "testkit.Blob";
    /** Wire name of {@link Pinged}. */
    public static final String PINGED = "testkit.Pinged";
    /** Wire name of {@link Counted}. */
    public static final String COUNTED = "testkit.Counted";

    /** The current schema version of {@link Withdrawn}. */
    public static final int WITHDRAWN_VERSION = 2;

    private static final EventTypes ALL = EventTypes.builder()
            .add(ACCOUNT_OPENED, AccountOpened.class)
            .add(DEPOSITED, Deposited.class)
            .add(new EventType<>(WITHDRAWN, Withdrawn.class, WITHDRAWN_VERSION, List.of("testkit.Debited"),
                    Map.of(1, node -> node.put("reason", "unknown"))))
            .add(TAGGED, Tagged.class)
            .add(BLOB, Blob.class)
            .add(PINGED, Pinged.class)
            .add(COUNTED, Counted.class)
            .build();

    private TestEventTypes() {
    }

    /** Every test event type; {@link Unregistered} is left out on purpose. */
    public static EventTypes all() {
        return ALL;
    }
}
