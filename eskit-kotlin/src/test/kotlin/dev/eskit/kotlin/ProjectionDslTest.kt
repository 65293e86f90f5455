package dev.eskit.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ProjectionDslTest {

    @Test
    fun projectionFoldsHandledEventsAndIgnoresOthers() {
        val deposits = projection<List<Long>, AccountEvent>(initial = emptyList()) {
            on<Deposited> { model, e -> model + e.amount }
        }
        assertEquals(listOf(3L, 4L), deposits.fold(listOf(Opened("a"), Deposited("a", 3), Withdrawn("a", 1), Deposited("a", 4))))
        assertEquals(emptyList<Long>(), deposits.initial)
    }

    @Test
    fun handlerMayReturnANullReadModel() {
        val last = projection<String?, AccountEvent>(initial = "start") {
            on<Opened> { _, _ -> null }
        }
        assertNull(last.fold(listOf(Opened("a"), Deposited("a", 1))))
    }

    @Test
    fun twoHandlersForOneClassFailAtConstruction() {
        val error = assertThrows<DeciderDefinitionException> {
            projection<Int, AccountEvent>(initial = 0) {
                on<Opened> { m, _ -> m }
                on<Opened> { m, _ -> m + 1 }
            }
        }
        assertEquals(true, error.message!!.contains("on<${Opened::class.java.name}>"), error.message)
    }

    @Test
    fun supertypeHandlerCountsEveryEvent() {
        val count = projection<Int, AccountEvent>(initial = 0) { on<AccountEvent> { m, _ -> m + 1 } }
        assertEquals(3, count.fold(listOf(Opened("a"), Deposited("a", 1), Withdrawn("a", 1))))
    }
}
