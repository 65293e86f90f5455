/**
 * The annotations the eskit annotation processor reads at compile time.
 *
 * <p>Annotate events ({@link dev.eskit.annotations.Event}), deciders ({@link dev.eskit.annotations.Decider} with
 * {@link dev.eskit.annotations.InitialState}, {@link dev.eskit.annotations.Decide} and
 * {@link dev.eskit.annotations.Evolve} methods), stream ids ({@link dev.eskit.annotations.StreamId}) and projections
 * ({@link dev.eskit.annotations.Projection} with {@link dev.eskit.annotations.Handle} methods), and compile with
 * {@code eskit-processor} on the annotation processor path. Every annotation has CLASS retention: nothing here is
 * read at run time. See {@code docs/annotations.md} for what is generated.
 */
package dev.eskit.annotations;
