package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the record component of an {@link Event} that holds the id of the person its {@link PersonalData} belongs
 * to (a customer id, a user id). At most one per event; the value is stored in clear text, so use an opaque id.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface DataSubject {
}
