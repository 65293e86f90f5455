package dev.eskit.samples.shop

import dev.eskit.codec.EventTypes
import dev.eskit.codec.JsonEventCodec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The `@Event` data classes, through the registry and schema lock kapt generated for them. */
class EventsTest {

    @Test
    fun discoveryFindsTheGeneratedRegistryWithEveryEvent() {
        val types = EventTypes.discover()
        val expected = mapOf(
            ItemAdded::class.java to "shop.ItemAdded",
            ItemRemoved::class.java to "shop.ItemRemoved",
            CheckedOut::class.java to "shop.CheckedOut",
            Restocked::class.java to "shop.Restocked",
            Reserved::class.java to "shop.Reserved",
        )
        expected.forEach { (type, name) -> assertEquals(name, types.byClass(type).name()) }
        assertEquals(ShopEventTypes().eventTypes().map { it.name() }.toSet(), expected.values.toSet())
    }

    @Test
    fun everyEventRoundTripsThroughTheJsonCodec() {
        val codec = JsonEventCodec.create(shopEventTypes)
        val events = listOf(
            ItemAdded("apple", 2), ItemRemoved("apple"), CheckedOut(mapOf("pear" to 1, "plum" to 4)),
            Restocked("apple", 10), Reserved("apple", 3),
        )
        for (event in events) {
            val encoded = codec.encode(event)
            assertEquals(event, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()))
        }
    }

    @Test
    fun theCommittedSchemaLockListsEveryEventWithItsConstructorProperties() {
        val lock = EventsTest::class.java.getResourceAsStream("/META-INF/eskit/schema.lock")!!
            .use { String(it.readAllBytes(), Charsets.UTF_8) }
        assertTrue(lock.contains("event shop.CheckedOut version 1 class dev.eskit.samples.shop.CheckedOut\n" +
            "  items: java.util.Map<java.lang.String, java.lang.Integer>\n"), lock)
        assertTrue(lock.contains("event shop.ItemAdded version 1 class dev.eskit.samples.shop.ItemAdded\n" +
            "  quantity: int\n  sku: java.lang.String\n"), lock)
    }
}
