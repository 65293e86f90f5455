/** Immutable models of the annotated code, made by the readers and consumed by the writers. Internal. */
package dev.eskit.processor.model;
