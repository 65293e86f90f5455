package dev.eskit.samples.shop

import dev.eskit.kotlin.testing.given
import dev.eskit.kotlin.testing.whenever
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class CartTest {

    @Test
    fun addingAnItemToAnOpenCartAddsIt() {
        cart whenever { AddItem("c", "apple", 2) } then {
            events(ItemAdded("apple", 2))
            state(CartState(items = mapOf("apple" to 2)))
        }
    }

    @Test
    fun addingTheSameItemAgainAddsUpTheQuantity() {
        cart given { event(ItemAdded("apple", 2)) } whenever { AddItem("c", "apple", 1) } then {
            state { assertEquals(mapOf("apple" to 3), it.items) }
        }
    }

    @Test
    fun nonPositiveQuantityIsRejected() {
        cart whenever { AddItem("c", "apple", 0) } then { throws<CartException>("quantity must be positive") }
    }

    @Test
    fun removingAnItemThatIsNotThereChangesNothing() {
        cart given { event(ItemAdded("apple", 1)) } whenever { RemoveItem("c", "pear") } then { noEvents() }
    }

    @Test
    fun checkingOutRecordsTheItems() {
        cart given {
            event(ItemAdded("apple", 1))
            event(ItemAdded("pear", 2))
            event(ItemRemoved("apple"))
        } whenever { CheckOut("c") } then {
            events(CheckedOut(mapOf("pear" to 2)))
        }
    }

    @Test
    fun anEmptyCartCannotBeCheckedOut() {
        cart whenever { CheckOut("c") } then { throws<CartException>("empty") }
    }

    @Test
    fun aCheckedOutCartRejectsNewItemsAndIgnoresASecondCheckOut() {
        val checkedOut: dev.eskit.kotlin.testing.GivenEvents<CartEvent>.() -> Unit = {
            event(ItemAdded("apple", 1))
            event(CheckedOut(mapOf("apple" to 1)))
        }
        cart given checkedOut whenever { AddItem("c", "pear", 1) } then { throws<CartException>("checked out") }
        cart given checkedOut whenever { CheckOut("c") } then { noEvents() }
    }

    @Test
    fun salesAddUpCheckedOutItemsOnly() {
        sales given {
            event(ItemAdded("apple", 9))
            event(CheckedOut(mapOf("apple" to 1, "pear" to 2)))
            event(CheckedOut(mapOf("apple" to 3)))
        } then {
            model(mapOf("apple" to 4, "pear" to 2))
        }
    }
}
