/** Readers: turn annotated elements into models, reporting every problem of a type. Internal. */
package dev.eskit.processor.read;
