/**
 * The eskit annotation processor. {@link dev.eskit.processor.EskitProcessor} is the only supported entry point; the
 * other types here and in the subpackages are internal to the processor and may change.
 */
package dev.eskit.processor;
