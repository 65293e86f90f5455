package dev.eskit.kotlin

/**
 * A projection as a pure fold: a read model that starts at [initial] and changes by [apply] for each event. It is
 * what a projection's handlers compute, without the storage and checkpoints around them, so it can be tested with
 * [given] and used wherever events are at hand (`events.fold(projection.initial, projection::apply)`).
 *
 * @param R the read model type
 * @param E the event type
 */
public interface FoldProjection<R, E : Any> {
    /** The read model before any event. */
    public val initial: R

    /** The read model after [event] has been applied to [model]. */
    public fun apply(model: R, event: E): R

    /** Applies [events] in order, starting from [from]. */
    public fun fold(events: Iterable<E>, from: R = initial): R = events.fold(from) { model, event -> apply(model, event) }

    /**
     * Whether events of class [type] can change the read model; `true` unless the projection knows better. The
     * projections that `projection { }` builds answer from their handlers, so [asReadModel] asks the store only for
     * the event types they handle.
     */
    public fun handles(type: Class<*>): Boolean = true
}

/**
 * Builds a [FoldProjection] from one `on` handler per event class.
 *
 * ```kotlin
 * val balances = projection<Map<String, Long>, AccountEvent>(initial = emptyMap()) {
 *     on<Deposited> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) + e.amount) }
 * }
 * ```
 *
 * Unlike a decider, a projection reads the whole log and cares about few event types, so an event without a
 * handler leaves the read model unchanged. Two handlers for one class fail here with a
 * [DeciderDefinitionException]. Dispatch works as in [decider]: exact class first, then the most specific
 * supertype, without reflection.
 */
public inline fun <R, reified E : Any> projection(
    initial: R,
    noinline block: ProjectionBuilder<R, E>.() -> Unit,
): FoldProjection<R, E> = projection(E::class.java, initial, block)

/** The `Class`-taking form of [projection]. */
public fun <R, E : Any> projection(
    eventType: Class<E>,
    initial: R,
    block: ProjectionBuilder<R, E>.() -> Unit,
): FoldProjection<R, E> = ProjectionBuilder<R, E>(eventType).apply(block).build(initial)

/** The scope of a `projection { }` block: one `on` handler per event class. */
@EskitDsl
public class ProjectionBuilder<R, E : Any> internal constructor(private val eventType: Class<E>) {
    private val handlers = HandlerCollector<(R, Any) -> R>("on")

    /**
     * Applies events of class [T] (and of its subclasses without a handler of their own) to the read model.
     *
     * @throws DeciderDefinitionException when [T] already has a handler
     */
    public inline fun <reified T : E> on(noinline handler: (model: R, event: T) -> R) {
        on(T::class.java, handler)
    }

    /** The `Class`-taking form of [on]. */
    public fun <T : E> on(type: Class<T>, handler: (model: R, event: T) -> R) {
        @Suppress("UNCHECKED_CAST")
        handlers.add(type, handler as (R, Any) -> R)
    }

    internal fun build(initial: R): FoldProjection<R, E> = DslProjection(initial, eventType, handlers.build("on"))
}

private class DslProjection<R, E : Any>(
    override val initial: R,
    private val eventType: Class<E>,
    private val handlers: DispatchTable<(R, Any) -> R>,
) : FoldProjection<R, E> {
    override fun apply(model: R, event: E): R {
        val handler = handlers.find(event.javaClass) ?: return model
        return handler(model, event)
    }

    override fun handles(type: Class<*>): Boolean = eventType.isAssignableFrom(type) && handlers.find(type) != null

    override fun toString(): String = "Projection(${eventType.simpleName}, on ${names(handlers.types)})"
}
