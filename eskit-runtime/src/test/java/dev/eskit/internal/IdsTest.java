package dev.eskit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void bytesAreTheUuidsSixteenBytesMostSignificantFirst() {
        UUID id = UUID.fromString("0123abcd-4567-89ef-fedc-ba9876543210");
        byte[] expected = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
        assertArrayEquals(expected, Ids.bytes(id));
        assertEquals(0x01, Ids.bytes(id)[0]);
        assertEquals((byte) 0x10, Ids.bytes(id)[15]);
    }

    @Test
    void putWritesAtItsOffsetAndNowhereElse() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        byte[] both = new byte[34];
        both[0] = 7;
        both[33] = 9;
        Ids.put(first, both, 1);
        Ids.put(second, both, 17);
        ByteBuffer read = ByteBuffer.wrap(both, 1, 32);
        assertEquals(first, new UUID(read.getLong(), read.getLong()));
        assertEquals(second, new UUID(read.getLong(), read.getLong()));
        assertEquals(7, both[0]);
        assertEquals(9, both[33]);
    }

    @Test
    void timeOrderedIdsAreVersion7WithTheCurrentMillisecondsAndSortByTime() throws Exception {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, () -> millis + " not in [" + before + ", " + after + "]");
        // A later millisecond sorts later (the 48 time bits lead the most significant half).
        long deadline = System.nanoTime() + 1_000_000_000L;
        UUID later = Ids.timeOrdered();
        while (later.getMostSignificantBits() >>> 16 == millis && System.nanoTime() < deadline) {
            later = Ids.timeOrdered();
        }
        assertTrue(Long.compareUnsigned(later.getMostSignificantBits(), id.getMostSignificantBits()) > 0);
        // Random bits differ between ids of one millisecond.
        assertTrue(Ids.timeOrdered().getLeastSignificantBits() != Ids.timeOrdered().getLeastSignificantBits());
    }
}
