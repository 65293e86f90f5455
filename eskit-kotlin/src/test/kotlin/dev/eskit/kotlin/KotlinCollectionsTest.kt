package dev.eskit.kotlin

import dev.eskit.ImmutableValues
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotSame
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * What Kotlin's collection builders return, as the state checks of generated deciders see it: empty ones are
 * unmodifiable, the others are copied into new collections of the same class.
 */
class KotlinCollectionsTest {

    @Test
    fun kotlinsEmptyCollectionsAreUnmodifiable() {
        assertTrue(ImmutableValues.isUnmodifiable(emptyList<String>()))
        assertTrue(ImmutableValues.isUnmodifiable(emptySet<String>()))
        assertTrue(ImmutableValues.isUnmodifiable(emptyMap<String, Int>()))
        assertTrue(ImmutableValues.isUnmodifiable(listOf("a")), "a singleton list of the JDK")
        assertSame(emptyList<String>(), ImmutableValues.copy(emptyList<String>()))
    }

    @Test
    fun kotlinsOtherCollectionsAreCopied() {
        val built: List<Collection<String>> = listOf(
            listOf("b", "a"), listOf("a") + "b", mutableListOf("a"), setOf("b", "a"), listOf("b", "a").sorted(),
            listOf("a", "b").filter { it != "c" }, hashSetOf("a"),
        )
        for (collection in built) {
            assertFalse(ImmutableValues.isUnmodifiable(collection), collection.javaClass.name)
            assertTrue(ImmutableValues.isCopyable(collection), collection.javaClass.name)
            val copy = ImmutableValues.copy(collection)
            assertNotSame(collection, copy)
            assertEquals(collection.javaClass, copy.javaClass)
            assertEquals(collection.toList(), copy.toList(), "same elements in the same order")
        }
        for (map in listOf(mapOf("a" to 1, "b" to 2), mapOf("a" to 1) + ("b" to 2), mutableMapOf("a" to 1))) {
            assertTrue(ImmutableValues.isCopyable(map), map.javaClass.name)
            assertEquals(map, ImmutableValues.copy(map))
            assertNotSame(map, ImmutableValues.copy(map))
        }
    }
}
