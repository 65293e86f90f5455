package dev.eskit.kotlin

import dev.eskit.EskitException

/**
 * A `decider { }`, `projection { }` or `combine` definition that cannot work. Thrown when the definition is built,
 * before it handles anything, for two handlers of one class or two combined deciders whose command (or event) types
 * overlap; and on the first command or event of a class that the definition cannot place: a class matching handlers
 * of two unrelated supertypes, or an object of both combined deciders' types.
 */
public class DeciderDefinitionException(message: String) : EskitException(message)

/**
 * An event reached a DSL decider that has no `evolve` handler for its class (and did not opt into
 * [DeciderBuilder.ignoreUnhandledEvents]). The event was stored by someone, so the decider must know it: add an
 * `evolve<TheEvent> { state, event -> ... }` handler.
 */
public class UnhandledEventException(message: String) : EskitException(message)
