package dev.eskit.kotlin

import java.util.concurrent.ConcurrentHashMap

/**
 * Maps classes to handlers, built once. A lookup first tries the exact class (one hash lookup); a class without its
 * own handler gets the most specific handler registered for one of its supertypes, found once per class and cached.
 * Only `Class` identity and `isAssignableFrom` are used: no reflection.
 */
internal class DispatchTable<H : Any>(
    handlers: Map<Class<*>, H>,
    private val what: String,
) {
    private val exact: Map<Class<*>, H> = HashMap(handlers)
    private val registered: List<Map.Entry<Class<*>, H>> = handlers.entries.toList()
    private val inherited = ConcurrentHashMap<Class<*>, Any>()

    /** The registered classes, in registration order. */
    val types: List<Class<*>> get() = registered.map { it.key }

    /** The handler for [type], or `null` when neither the class nor any of its supertypes has one. */
    @Suppress("UNCHECKED_CAST")
    fun find(type: Class<*>): H? {
        exact[type]?.let { return it }
        if (registered.isEmpty()) return null
        val found = inherited[type] ?: inherited.computeIfAbsent(type) { resolve(it) }
        return if (found === NONE) null else found as H
    }

    private fun resolve(type: Class<*>): Any {
        val candidates = registered.filter { it.key.isAssignableFrom(type) }
        if (candidates.isEmpty()) return NONE
        val mostSpecific = candidates.filter { candidate ->
            candidates.all { other -> other.key.isAssignableFrom(candidate.key) }
        }
        if (mostSpecific.size != 1) {
            throw DeciderDefinitionException(
                "${type.name} matches the $what handlers for ${candidates.joinToString { it.key.name }}, and none of" +
                    " them is more specific than the others. Add a handler for ${type.name} itself.",
            )
        }
        return mostSpecific[0].value
    }

    private companion object {
        private val NONE = Any()
    }
}

/** Collects handlers by class and refuses a second handler for one class. */
internal class HandlerCollector<H : Any>(private val dsl: String) {
    private val handlers = LinkedHashMap<Class<*>, H>()

    fun add(type: Class<*>, handler: H) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw DeciderDefinitionException(
                "$dsl<${type.name}> is defined twice. Keep one handler per class and branch inside it if needed.",
            )
        }
    }

    fun build(what: String): DispatchTable<H> = DispatchTable(handlers, what)
}
