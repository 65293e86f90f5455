package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts an {@link Event} record (or a decider state or command record) out of the generated streaming codec: it is
 * read and written by jackson-databind instead, which discovers it by reflection at run time (so it needs
 * jackson-databind on the class path, and reflection metadata in a native image). Use it for a type with a field
 * the processor cannot generate code for, such as a class of a library you cannot change; see {@code docs/codecs.md}.
 *
 * <pre>{@code
 * @Event @DatabindCodec
 * public record ChartUploaded(String id, org.example.Chart chart) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DatabindCodec {
}
