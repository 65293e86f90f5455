package dev.eskit.processor.model;

/**
 * One {@code @Tag} record component.
 *
 * @param prefix   the tag prefix
 * @param accessor the component's accessor name
 */
public record TagModel(String prefix, String accessor) {
}
