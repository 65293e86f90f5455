package dev.eskit.testkit.dcb;

import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.Tag;

/** The tagged events of {@link DcbConformance}, registered by hand with their tag extractors. */
public final class DcbTestEvents {

    /** A course was defined; tagged {@code course:<id>}. Wire name {@code "dcbtest.CourseDefined"}. */
    public record CourseDefined(String courseId, int capacity) {
    }

    /** A student subscribed; tagged {@code course:<id>} and {@code student:<id>}. */
    public record StudentSubscribed(String courseId, String studentId) {
    }

    /** A user name was claimed; tagged {@code username:<name>} (the owner, when given, as {@code user:<id>}). */
    public record NameClaimed(String username, String userId) {
    }

    /** An event without tags of its own. */
    public record Noted(String text) {
    }

    /** Wire name of {@link CourseDefined}. */
    public static final String COURSE_DEFINED = "dcbtest.CourseDefined";
    /** Wire name of {@link StudentSubscribed}. */
    public static final String STUDENT_SUBSCRIBED = "dcbtest.StudentSubscribed";
    /** Wire name of {@link NameClaimed}. */
    public static final String NAME_CLAIMED = "dcbtest.NameClaimed";
    /** Wire name of {@link Noted}. */
    public static final String NOTED = "dcbtest.Noted";

    private DcbTestEvents() {
    }

    /** The four types with their extractors. */
    public static EventTypes types() {
        return EventTypes.builder()
                .add(COURSE_DEFINED, CourseDefined.class, e -> Tag.list("course", e.courseId()))
                .add(STUDENT_SUBSCRIBED, StudentSubscribed.class,
                        e -> Tag.list("course", e.courseId(), "student", e.studentId()))
                .add(NAME_CLAIMED, NameClaimed.class, e -> Tag.list("username", e.username(), "user", e.userId()))
                .add(NOTED, Noted.class)
                .build();
    }
}
