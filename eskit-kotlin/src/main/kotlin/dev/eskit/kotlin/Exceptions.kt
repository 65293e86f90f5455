package dev.eskit.kotlin

import dev.eskit.EskitException

/**
 * A `decider { }`, `projection { }` or `combine` definition that cannot work: two handlers for one type, or two
 * deciders whose command or event types overlap. Thrown when the definition is built, before it handles anything.
 */
public class DeciderDefinitionException(message: String) : EskitException(message)

/**
 * An event reached a DSL decider that has no `evolve` handler for its class (and did not opt into
 * [DeciderBuilder.ignoreUnhandledEvents]). The event was stored by someone, so the decider must know it: add an
 * `evolve<TheEvent> { state, event -> ... }` handler.
 */
public class UnhandledEventException(message: String) : EskitException(message)
