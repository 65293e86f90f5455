package dev.eskit.kotlin.testing

import dev.eskit.kotlin.EskitDsl
import dev.eskit.kotlin.FoldProjection
import org.opentest4j.AssertionFailedError

/**
 * Starts a scenario for this projection: the read model after the given events, starting from
 * [FoldProjection.initial].
 *
 * ```kotlin
 * balances given { event(Deposited("a", 5)); event(Deposited("a", 2)) } then { model(mapOf("a" to 7L)) }
 * ```
 */
public infix fun <R, E : Any> FoldProjection<R, E>.given(block: GivenEvents<E>.() -> Unit): ProjectedEvents<R, E> =
    given(initial, block)

/** Starts a scenario for this projection from the read model [from] instead of [FoldProjection.initial]. */
public fun <R, E : Any> FoldProjection<R, E>.given(from: R, block: GivenEvents<E>.() -> Unit): ProjectedEvents<R, E> {
    val events = GivenEvents<E>().apply(block).events.toList()
    return ProjectedEvents(events, fold(events, from))
}

/**
 * The read model a projection built from the given events, waiting for the expectations of `then { }`.
 *
 * @param R the read model type
 * @param E the event type
 * @property events the given events
 * @property model the read model after them
 */
public class ProjectedEvents<R, E : Any> internal constructor(public val events: List<E>, public val model: R) {

    /**
     * Checks the read model with the expectations in [block].
     *
     * @throws AssertionError when an expectation fails, or when [block] states none
     */
    public infix fun then(block: ReadModelExpectations<R>.() -> Unit): ProjectedEvents<R, E> {
        val expectations = ReadModelExpectations(events, model)
        expectations.block()
        if (expectations.checks == 0) {
            throw AssertionError("then { } checked nothing. Add model(...).")
        }
        return this
    }
}

/**
 * The scope of a projection scenario's `then { }` block.
 *
 * @param R the read model type
 */
@EskitDsl
public class ReadModelExpectations<R> internal constructor(private val events: List<*>, private val model: R) {
    internal var checks: Int = 0

    /** Expects the read model to equal [expected]. */
    public fun model(expected: R) {
        checks++
        if (model != expected) {
            // opentest4j's AssertionError subclass carries both values, so IDEs show a diff.
            throw AssertionFailedError(
                "Given ${describe(events)}expected read model: $expected\n  actual read model: $model",
                expected,
                model,
            )
        }
    }

    /** Runs your own assertions on the read model. */
    public fun model(assertions: (R) -> Unit) {
        checks++
        assertions(model)
    }

    private fun describe(events: List<*>): String =
        if (events.isEmpty()) {
            "no events\n"
        } else {
            events.withIndex().joinToString("", prefix = "${events.size} event(s):\n") { (i, e) -> "  ${i + 1}. $e\n" }
        }
}

/** The importable form of [ProjectedEvents.then]: `import dev.eskit.kotlin.testing.then` compiles, and calls the member. */
@Suppress("EXTENSION_SHADOWED_BY_MEMBER")
public infix fun <R, E : Any> ProjectedEvents<R, E>.then(block: ReadModelExpectations<R>.() -> Unit): ProjectedEvents<R, E> =
    this.then(block)
