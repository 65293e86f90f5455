package dev.eskit.kotlin

import dev.eskit.Names
import dev.eskit.Position
import dev.eskit.StoredEvent
import dev.eskit.codec.EventTypes
import dev.eskit.projection.ProjectionHandler
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * A read model after the events up to [position]: what [ReadModel.state] holds.
 *
 * @property position the position of the last event applied; [Position.START] before the first
 * @property model the read model
 */
public data class Projected<R>(val position: Position, val model: R)

/**
 * A [FoldProjection] kept in memory and run as a [ProjectionHandler]: whatever feeds it stored events (a
 * subscription, or a log flow as below) moves its [state], a [StateFlow] that coroutines can watch.
 *
 * ```kotlin
 * val salesModel = sales.asReadModel(name = "sales", types = shopEventTypes)
 * launch { store.followAllFlow(eventTypes = salesModel.eventTypes()).collect(salesModel::handle) }
 * val current = salesModel.state.first { it.position >= lastCheckout }.model
 * ```
 *
 * [handle] applies events one at a time, in the order it is called; events of other types are ignored. The model
 * starts empty at every start: rebuild it from [Position.START], or keep your own checkpoint with the model.
 *
 * @param R the read model type
 * @param E the event type
 */
public class ReadModel<R, E : Any> internal constructor(
    private val name: String,
    private val projection: FoldProjection<R, E>,
    private val eventType: Class<E>,
    private val eventTypes: Set<String>,
) : ProjectionHandler {
    private val current = MutableStateFlow(Projected(Position.START, projection.initial))

    /** The read model and the position of the last event applied, as a [StateFlow]. */
    public val state: StateFlow<Projected<R>> = current.asStateFlow()

    /** The current read model. */
    public val model: R get() = current.value.model

    override fun name(): String = name

    override fun eventTypes(): Set<String> = eventTypes

    override fun handle(event: StoredEvent<*>) {
        val data = event.data()
        val before = current.value
        val after = if (eventType.isInstance(data) && projection.handles(data.javaClass)) {
            projection.apply(before.model, eventType.cast(data))
        } else {
            before.model
        }
        current.value = Projected(event.position(), after)
    }

    override fun toString(): String = "ReadModel($name, ${current.value})"
}

/**
 * Runs this projection as a [ReadModel] named [name] (the key a subscription stores its checkpoint under), over the
 * event types of [types] that it handles: their wire names and aliases become [ReadModel.eventTypes].
 *
 * @throws dev.eskit.InvalidInputException when [name] is empty, longer than 256 characters or contains NUL
 */
public inline fun <R, reified E : Any> FoldProjection<R, E>.asReadModel(name: String, types: EventTypes): ReadModel<R, E> =
    asReadModel(name, types, E::class.java)

/** The `Class`-taking form of [asReadModel]. */
public fun <R, E : Any> FoldProjection<R, E>.asReadModel(
    name: String,
    types: EventTypes,
    eventType: Class<E>,
): ReadModel<R, E> {
    Names.check("Projection name", name)
    // Aliases too: events stored before a rename keep their old name in the store, and the store filters by it.
    val wireNames = LinkedHashSet<String>()
    for (type in types.eventTypes()) {
        if (eventType.isAssignableFrom(type.javaType()) && handles(type.javaType())) {
            wireNames.add(type.name())
            wireNames.addAll(type.aliases())
        }
    }
    return ReadModel(name, this, eventType, wireNames)
}
