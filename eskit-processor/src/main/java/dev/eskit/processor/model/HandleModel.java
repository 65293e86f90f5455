package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * One {@code @Handle} method of a projection.
 *
 * @param event      the event record it handles
 * @param wireName   the event's wire name
 * @param call       the method
 * @param withStored whether it also takes the {@code StoredEvent}
 */
public record HandleModel(ClassName event, String wireName, Call call, boolean withStored) {
}
