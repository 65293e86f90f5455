package dev.eskit.kotlin

import dev.eskit.EventDecodingException
import dev.eskit.codec.EventTypes
import dev.eskit.codec.JsonEventCodec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** What docs/kotlin.md says about Kotlin events and the runtime's JSON codec (the one persistent stores use). */
class JsonCodecKotlinTest {

    @JvmRecord
    data class RecordEvent(val id: String, val amount: Long, val tags: List<String>, val note: String?)

    data class PlainEvent(val id: String, val amount: Long)

    data class Line(val sku: String, val quantity: Int)

    data class RichEvent(
        val id: String,
        val isGift: Boolean,
        val lines: List<Line>,
        val totals: Map<String, Long>,
        val note: String? = null,
        val channel: String = "web",
    )

    private val codec = JsonEventCodec.create(
        EventTypes.builder()
            .add("k.Record", RecordEvent::class.java)
            .add("k.Plain", PlainEvent::class.java)
            .add("k.Rich", RichEvent::class.java)
            .build(),
    )

    @Test
    fun jvmRecordDataClassesRoundTripThroughTheDefaultJsonCodec() {
        val event = RecordEvent("a", 5, listOf("x", "y"), null)
        val encoded = codec.encode(event)
        assertEquals("k.Record", encoded.type())
        assertEquals(event, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()))
    }

    @Test
    fun plainDataClassesRoundTripThroughTheDefaultJsonCodecWithTheKotlinModule() {
        val event = PlainEvent("a", 5)
        val encoded = codec.encode(event)
        assertEquals("k.Plain", encoded.type())
        assertEquals(event, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()))
    }

    @Test
    fun dataClassesWithNestedClassesCollectionsNullsAndBooleanIsPropertiesRoundTrip() {
        val event = RichEvent("a", isGift = true, listOf(Line("apple", 2)), mapOf("EUR" to 300L), note = null)
        val encoded = codec.encode(event)
        val json = String(encoded.data(), Charsets.UTF_8)
        assertTrue(json.contains("\"isGift\":true"), json)
        assertEquals(event, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()))
    }

    @Test
    fun missingPropertiesWithDefaultsTakeTheDefaultAndMissingRequiredOnesFailToDecode() {
        val withoutDefaults = """{"id":"a","isGift":false,"lines":[],"totals":{}}""".toByteArray()
        assertEquals(RichEvent("a", false, emptyList(), emptyMap()), codec.decode("k.Rich", 1, withoutDefaults))
        val error = assertThrows<EventDecodingException> {
            codec.decode("k.Plain", 1, """{"amount":5}""".toByteArray())
        }
        assertTrue(error.message!!.contains("k.Plain"), error.message)
    }
}
