package dev.eskit.kotlin

/**
 * Marks the receiver scopes of the eskit DSL, so that a nested block cannot call the functions of an outer one by
 * accident (inside `then { }` you cannot call `event(...)` of the enclosing `given { }`).
 */
@DslMarker
@Target(AnnotationTarget.CLASS)
@Retention(AnnotationRetention.BINARY)
public annotation class EskitDsl
