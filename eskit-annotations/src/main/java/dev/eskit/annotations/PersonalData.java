package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component of an {@link Event} as personal data: it is stored encrypted under a key of its data
 * subject, and reads back as a placeholder once that subject is forgotten (crypto-shredding).
 *
 * <p>The subject is the event's {@link DataSubject} component, or the component named by {@link #subject()}:
 * <pre>{@code
 * @Event
 * record CustomerRegistered(@StreamId @DataSubject String customerId,
 *                           @PersonalData String email,
 *                           @PersonalData String name,
 *                           String plan) {}
 *
 * @Event
 * record ReferralMade(String customerId, String friendId, @PersonalData(subject = "friendId") String friendEmail) {}
 * }</pre>
 * A {@code @PersonalData} component without a subject fails the build.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface PersonalData {

    /** The name of the component that holds this value's data subject id; empty for the {@link DataSubject}. */
    String subject() default "";
}
