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

    private val codec = JsonEventCodec.create(
        EventTypes.builder().add("k.Record", RecordEvent::class.java).add("k.Plain", PlainEvent::class.java).build(),
    )

    @Test
    fun jvmRecordDataClassesRoundTripThroughTheDefaultJsonCodec() {
        val event = RecordEvent("a", 5, listOf("x", "y"), null)
        val encoded = codec.encode(event)
        assertEquals("k.Record", encoded.type())
        assertEquals(event, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()))
    }

    @Test
    fun plainDataClassesEncodeButDoNotDecodeWithTheDefaultMapper() {
        val encoded = codec.encode(PlainEvent("a", 5))
        val error = assertThrows<EventDecodingException> {
            codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data())
        }
        assertTrue(error.message!!.contains("k.Plain"), error.message)
    }
}
