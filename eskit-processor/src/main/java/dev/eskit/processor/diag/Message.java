package dev.eskit.processor.diag;

import javax.tools.Diagnostic;

/**
 * Every diagnostic the eskit processor reports: a stable tag, a kind and a format. A message states the rule, what
 * was found and the fix, quoting user names. Each constant has a negative compile test and an example in
 * {@code docs/annotations.md}.
 */
public enum Message {

    /** {@code @Event} on something that is not a record. */
    EVENT_NOT_RECORD("EVENT-NOT-RECORD",
            "@Event types must be records so that generated code can encode them, but \"%s\" is %s."
                    + " Make it a record: record %s(...) {}."),

    /** {@code @Event} on a Kotlin class that is not a final class whose public constructor declares its properties. */
    EVENT_KOTLIN_CLASS("EVENT-KOTLIN-CLASS",
            "Kotlin @Event classes must be final classes whose public constructor declares every property, so that"
                    + " the codec can read them back through it, but \"%s\" %s."
                    + " Make it a data class: data class %s(val ...)."),

    /** {@code @Event} on a generic record. */
    EVENT_GENERIC("EVENT-GENERIC",
            "@Event records must not be generic because one wire name must stand for one shape, but \"%s\" declares"
                    + " type parameters <%s>. Remove them, or write one record per shape."),

    /** {@code @Event(version = n)} with n below 1. */
    EVENT_VERSION("EVENT-VERSION",
            "Event schema versions start at 1, but \"%s\" declares version = %d."
                    + " Use version = 1 for the first schema and raise it by one for each change."),

    /** A blank wire name or alias, or one with whitespace. */
    EVENT_NAME_INVALID("EVENT-NAME-INVALID",
            "Wire names must be non-blank and contain no whitespace, but \"%s\" declares %s \"%s\"."
                    + " Use a name such as \"%s\"."),

    /** Two event types (or aliases) with one wire name in a compilation. */
    EVENT_NAME_DUPLICATE("EVENT-NAME-DUPLICATE",
            "Wire names must be unique, but \"%s\" is claimed by both \"%s\" and \"%s\"."
                    + " Give one of them another name with @Event(name = \"...\")."),

    /** Two commands, or a command and an event, with one wire name in a compilation. */
    COMMAND_NAME_DUPLICATE("COMMAND-NAME-DUPLICATE",
            "Command wire names (the last package segment and the simple name) must be unique among commands and"
                    + " events, but \"%s\" is claimed by both \"%s\" and \"%s\"."
                    + " Rename the command class, or move it to a package with another last segment."),

    /** {@code @Command(version = n)} with n below 1. */
    COMMAND_VERSION("COMMAND-VERSION",
            "Command schema versions start at 1, but \"%s\" declares version = %d."
                    + " Use version = 1 for the first schema and raise it by one for each change."),

    /** A {@code @CommandUpcast} method that does not fit its command, or a command version without an upcaster. */
    COMMAND_UPCAST("COMMAND-UPCAST",
            "Queued commands of an older version are upcast one version at a time by static ObjectNode m(ObjectNode"
                    + " json) methods marked @CommandUpcast(command = X.class, from = n), one for each version below"
                    + " the current one, but %s. %s"),

    /** A command's shape differs from the schema lock while its version is unchanged. */
    COMMAND_SCHEMA_CHANGED("COMMAND-SCHEMA-CHANGED",
            "Queued commands keep the shape they were enqueued with, so a new shape needs a new version, but command"
                    + " \"%s\" still has version %d while its shape differs from the schema lock \"%s\": %s. Annotate"
                    + " it @Command(version = %d) and add @CommandUpcast(command = %s.class, from = %d), or, if no"
                    + " queued command has the old shape (drained queue, or a component was only added), accept the"
                    + " change with -Aeskit.acceptSchemaChanges=true, which rewrites the lock."),

    /** An alias listed twice, or equal to the event's own wire name. */
    EVENT_ALIAS_REPEATED("EVENT-ALIAS-REPEATED",
            "Aliases are former wire names, each listed once and different from the current name, but \"%s\" lists"
                    + " \"%s\" %s. Remove it from aliases."),

    /** {@code @Upcast(event = X.class)} where X is not an {@code @Event} record of this compilation. */
    UPCAST_NOT_EVENT("UPCAST-NOT-EVENT",
            "@Upcast methods upcast @Event records compiled together with them, but \"%s\" names \"%s\", %s. %s"),

    /** An {@code @Upcast} method whose signature does not fit. */
    UPCAST_SIGNATURE("UPCAST-SIGNATURE",
            "@Upcast methods are static, take the stored version and return the next one (static ObjectNode"
                    + " m(ObjectNode json), static JsonObject m(JsonObject json) without databind, or static Next"
                    + " m(Old old) with a record kept for the old shape), but \"%s\""
                    + " %s. Declare it as: @Upcast(event = %s.class, from = %d) static ObjectNode %s(ObjectNode json)."),

    /** {@code @Upcast(from = k)} with k below 1 or at or above the event's current version. */
    UPCAST_VERSION("UPCAST-VERSION",
            "Upcasters read a stored version below the current one, but \"%s\" declares from = %d while \"%s\" is at"
                    + " version %d. %s"),

    /** Two upcasters for the same step of a chain. */
    UPCAST_DUPLICATE("UPCAST-DUPLICATE",
            "Each step of an upcaster chain needs exactly one upcaster, but version %d of \"%s\" is upcast by both"
                    + " \"%s\" and \"%s\". Keep one of them."),

    /** A version below the current one without an upcaster. */
    UPCAST_GAP("UPCAST-GAP",
            "Upcasters for \"%s\" go from version 1 to %d but nothing upcasts %s. Add %s."),

    /** An event's shape differs from the schema lock while its version is unchanged. */
    SCHEMA_CHANGED("SCHEMA-CHANGED",
            "Stored events keep the shape they were written with, so a new shape needs a new version, but \"%s\""
                    + " still declares version %d while its shape differs from the schema lock \"%s\": %s. Raise it"
                    + " to @Event(version = %d) and add @Upcast(event = %s.class, from = %d), or, if events stored with"
                    + " the old shape still decode (for example a component was only added), accept the change with"
                    + " -Aeskit.acceptSchemaChanges=true, which rewrites the lock."),

    /** An event's version is below the one recorded in the schema lock. */
    SCHEMA_VERSION_LOWERED("SCHEMA-VERSION-LOWERED",
            "Schema versions only go up, because events stored with a newer version cannot be read by older code, but"
                    + " \"%s\" declares version %d while the schema lock \"%s\" records version %d. Use version %d or"
                    + " higher, or, if no event was stored with the newer version, accept it with"
                    + " -Aeskit.acceptSchemaChanges=true, which rewrites the lock."),

    /** An event's wire name changed without keeping the old one as an alias. */
    SCHEMA_NAME_CHANGED("SCHEMA-NAME-CHANGED",
            "Stored events keep their wire name, so a renamed event must list its old name as an alias, but \"%s\" is"
                    + " now \"%s\" while the schema lock \"%s\" records it as \"%s\". Add aliases = {\"%s\"} to its"
                    + " @Event, or, if no event was stored under the old name, accept it with"
                    + " -Aeskit.acceptSchemaChanges=true, which rewrites the lock."),

    /** The schema lock cannot be read, parsed or written. */
    SCHEMA_LOCK_UNUSABLE("SCHEMA-LOCK-UNUSABLE",
            "eskit checks event shapes against the schema lock, but \"%s\" %s. %s"),

    /** The processor cannot tell where the schema lock belongs. */
    SCHEMA_LOCK_LOCATION("SCHEMA-LOCK-LOCATION", Diagnostic.Kind.WARNING,
            "eskit checks event shapes against a schema lock kept with the sources, but no lock file was given"
                    + " (-Aeskit.schemaLock), so the check is off. Pass"
                    + " -Aeskit.schemaLock=<project>/src/main/resources/META-INF/eskit/schema.lock (an absolute path:"
                    + " ${project.basedir}/... in Maven, ${projectDir}/... in Gradle), or -Aeskit.schemaLock=none to"
                    + " turn the check off without this warning."),

    /** Schema changes accepted with {@code -Aeskit.acceptSchemaChanges=true}. */
    SCHEMA_ACCEPTED("SCHEMA-ACCEPTED", Diagnostic.Kind.NOTE,
            "Accepted a schema change of \"%s\" (-Aeskit.acceptSchemaChanges=true): %s. The schema lock \"%s\" now"
                    + " records it; commit the lock, and remove the option again."),

    /** A {@code @PersonalData} component with no data subject to take its key from. */
    PERSONAL_DATA_NO_SUBJECT("PERSONAL-DATA-NO-SUBJECT",
            "Personal data is encrypted under the key of its data subject, but component \"%s\" of \"%s\" is"
                    + " @PersonalData and the record has no @DataSubject component. Mark the component that holds the"
                    + " person's id with @DataSubject, or name it: @PersonalData(subject = \"customerId\").%s"),

    /** {@code @PersonalData(subject = "x")} where the record has no component x. */
    PERSONAL_DATA_SUBJECT_UNKNOWN("PERSONAL-DATA-SUBJECT-UNKNOWN",
            "@PersonalData(subject = ...) names the component that holds the data subject id, but \"%s\" has no"
                    + " component \"%s\". Use one of %s.%s"),

    /** Two or more {@code @DataSubject} components on one record. */
    DATA_SUBJECT_DUPLICATE("DATA-SUBJECT-DUPLICATE",
            "An event has at most one @DataSubject, but \"%s\" has %d: %s. Keep @DataSubject on one, and point"
                    + " other personal fields at their subject with @PersonalData(subject = \"...\")."),

    /** A type or method that generated code in the same package cannot reach. */
    NOT_ACCESSIBLE("NOT-ACCESSIBLE",
            "Generated code calls %s \"%s\" from package \"%s\", but it is %s. %s"),

    /** A {@code @Decider} class with instance handler methods that generated code cannot create. */
    DECIDER_INSTANTIATION("DECIDER-INSTANTIATION",
            "\"%s\" has instance handler methods (%s), so the generated \"%s\" creates it with a no-argument"
                    + " constructor, but %s. Add a non-private no-argument constructor, or make the methods static."),

    /** An invalid {@code @Decider(stream = ...)}. */
    DECIDER_STREAM_INVALID("DECIDER-STREAM-INVALID",
            "Stream types must be 1 to 256 characters without NUL, but \"%s\" declares stream = \"%s\"."
                    + " Use a short name such as \"%s\"."),

    /** The command type of a decider cannot be inferred or does not fit. */
    DECIDER_COMMANDS("DECIDER-COMMANDS",
            "A decider needs one command type, but the @Decide methods of \"%s\" %s. Let every command implement one"
                    + " sealed interface, or declare it: @Decider(stream = \"%s\", commands = %s.class)."),

    /** The event type of a decider cannot be inferred or does not fit. */
    DECIDER_EVENTS("DECIDER-EVENTS",
            "A decider needs one event type, but the @Evolve and @Decide methods of \"%s\" %s. Let every event"
                    + " implement one sealed interface, or declare it: @Decider(stream = \"%s\", events = %s.class)."),

    /** A decider without {@code @InitialState}. */
    INITIAL_STATE_MISSING("INITIAL-STATE-MISSING",
            "A decider needs exactly one @InitialState method, but \"%s\" has none."
                    + " Add one: @InitialState static YourState initial() { return ...; }%s"),

    /** A decider with two or more {@code @InitialState} methods. */
    INITIAL_STATE_DUPLICATE("INITIAL-STATE-DUPLICATE",
            "A decider needs exactly one @InitialState method, but \"%s\" has %d: %s. Keep one and remove the @InitialState"
                    + " annotation from the others."),

    /** An {@code @InitialState} method with parameters or without a result. */
    INITIAL_STATE_SIGNATURE("INITIAL-STATE-SIGNATURE",
            "@InitialState methods take no parameters and return the state, but \"%s\" %s."
                    + " Declare it as: @InitialState static YourState %s() { return ...; }"),

    /** A {@code @Decide} method whose parameters do not fit. */
    DECIDE_SIGNATURE("DECIDE-SIGNATURE",
            "@Decide methods take (%s state, Command command) or (Command command), but \"%s\" %s."
                    + " Declare it as: @Decide static List<%s> %s(%s state, YourCommand command)."),

    /** A {@code @Decide} method whose return type is not an event, a list or an optional of events. */
    DECIDE_RETURN("DECIDE-RETURN",
            "@Decide methods return one %s, a List<? extends %s> or an Optional<? extends %s>, but \"%s\" returns"
                    + " \"%s\". Change its return type."),

    /** An {@code @Evolve} method whose signature does not fit. */
    EVOLVE_SIGNATURE("EVOLVE-SIGNATURE",
            "@Evolve methods take (%s state, Event event) and return the %s, but \"%s\" %s."
                    + " Declare it as: @Evolve static %s %s(%s state, YourEvent event)."),

    /** Two handlers for one type. */
    HANDLER_DUPLICATE("HANDLER-DUPLICATE",
            "Each type may have only one @%s method, but \"%s\" is handled by both \"%s\" and \"%s\"."
                    + " Merge them into one method."),

    /** A command of a sealed command type without {@code @Decide}. */
    DECIDE_MISSING("DECIDE-MISSING",
            "Every command of sealed \"%s\" needs a @Decide method, but \"%s\" has none for \"%s\"."
                    + " Add one: @Decide static List<%s> decide(%s state, %s command) { ... }%s"),

    /** An event of a sealed event type without {@code @Evolve}. */
    EVOLVE_MISSING("EVOLVE-MISSING",
            "Every event of sealed \"%s\" needs an @Evolve method, but \"%s\" has none for \"%s\"."
                    + " Add one: @Evolve static %s evolve(%s state, %s event) { ... }%s"),

    /** A routed command without a stream id. */
    STREAM_ID_MISSING("STREAM-ID-MISSING",
            "Routed commands need a stream id, but command \"%s\" has no @StreamId component and \"%s\" has no"
                    + " @StreamId method that accepts it. Annotate a component (record %s(@StreamId String id, ...)),"
                    + " or add @StreamId static String streamId(%s command) to the decider.%s"),

    /** A routed command with more than one stream id. */
    STREAM_ID_AMBIGUOUS("STREAM-ID-AMBIGUOUS",
            "A command needs exactly one stream id, but \"%s\" has %d: %s. Keep @StreamId on one of them."),

    /** A {@code @StreamId} method that cannot be used. */
    STREAM_ID_SIGNATURE("STREAM-ID-SIGNATURE",
            "@StreamId marks a record component, a no-argument method of a command, or a decider method that takes"
                    + " one command and returns its id, but \"%s\" %s. %s"),

    /** A concrete event of a decider (a leaf of its sealed event type, or a type it evolves) without {@code @Event}. */
    EVENT_ANNOTATION_MISSING("EVENT-ANNOTATION-MISSING",
            "Every event a decider evolves or decides needs @Event, so that stores can name, encode and decode it,"
                    + " but \"%s\" (%s) is not annotated @Event, and appending it would fail at run time. Annotate"
                    + " it: @Event %s %s(...)."),

    /** An invalid {@code @Projection(name = ...)}. */
    PROJECTION_NAME_INVALID("PROJECTION-NAME-INVALID",
            "Projection names key the subscription's checkpoint and must be at most 256 characters without NUL or"
                    + " surrounding blanks, but \"%s\" declares name = \"%s\". Use a short stable name such as \"%s\"."),

    /** A {@code @Handle} method whose parameter type is not an {@code @Event}. */
    HANDLE_NOT_EVENT("HANDLE-NOT-EVENT",
            "@Handle methods handle @Event records, but \"%s\" takes \"%s\", which is not annotated @Event. %s%s"),

    /** A {@code @Handle} method whose signature does not fit. */
    HANDLE_SIGNATURE("HANDLE-SIGNATURE",
            "@Handle methods take (Event event) or (Event event, StoredEvent<Event> stored) and return void, but"
                    + " \"%s\" %s. Declare it as: @Handle void %s(YourEvent event)."),

    /** A handler annotation in a class without the matching class annotation. */
    HANDLER_OUTSIDE("HANDLER-OUTSIDE",
            "@%s methods belong in a class annotated @%s, but \"%s\" is in \"%s\", which is not."
                    + " Annotate \"%s\" with @%s, or move the method."),

    /** A {@code @Tag} prefix (on a component or in a {@code @QueryItem}) that is empty or has odd characters. */
    TAG_PREFIX_INVALID("TAG-PREFIX-INVALID",
            "Tag prefixes must be 1 to 64 letters, digits, '_', '-' or '.', but %s declares the tag prefix \"%s\"."
                    + " Use a prefix such as \"%s\"."),

    /** A {@code @DcbDecider} query without items, or with an item type that is not an {@code @Event} record. */
    DCB_QUERY_INVALID("DCB-QUERY-INVALID",
            "A DCB decider's query needs at least one @QueryItem, and item types must be @Event records, but the"
                    + " query of \"%s\" %s. %s"),

    /** An event type a {@code @DcbDecider} evolves that its query does not match: an under-locked boundary. */
    DCB_QUERY_UNCOVERED("DCB-QUERY-UNCOVERED",
            "The query of a DCB decider must match every event type it evolves, or its append condition would not"
                    + " guard them, but the query of \"%s\" does not match \"%s\"%s. Add %s.class to the types of a"
                    + " @QueryItem whose tags it carries."),

    /** A {@code @QueryItem} that lists an event type lacking one of the item's tag prefixes. */
    DCB_QUERY_TAG_MISSING("DCB-QUERY-TAG-MISSING",
            "A @QueryItem matches only events that carry all its tags, but \"%s\" has no @Tag(\"%s\") component,"
                    + " so this item of \"%s\" can never match it. Add @Tag(\"%s\") to a component of \"%s\", or list"
                    + " it in an item without that tag."),

    /** A command of a {@code @DcbDecider} without exactly one {@code @Tag} component for a prefix of the query. */
    DCB_TAG_UNBOUND("DCB-TAG-UNBOUND",
            "The query of \"%s\" takes the value of tag prefix \"%s\" from each command, but \"%s\" has %s."
                    + " Annotate exactly one of its record components with @Tag(\"%s\")."),

    /** An {@code @Event} property whose type has no generated codec. */
    CODEC_UNSUPPORTED("CODEC-UNSUPPORTED",
            "Generated codecs read and write %s, but property \"%s\" of \"%s\" has type %s, which %s. Use one of"
                    + " those types (a record of them for a class of your own), or annotate \"%s\" with"
                    + " @DatabindCodec to have jackson-databind read and write it by reflection (docs/codecs.md)."),

    /** A typed upcaster (record to record) whose old record or result cannot have a generated codec. */
    UPCAST_CODEC("UPCAST-CODEC",
            "Typed upcasters read the stored version into a record and write the record they return with generated"
                    + " codecs, so that upcasting needs neither jackson-databind nor reflection at run time, but \"%s\""
                    + " %s \"%s\", %s. Make \"%s\" a record of supported types (%s), annotate it with @DatabindCodec"
                    + " to have jackson-databind read it by reflection (docs/codecs.md), or write the step on JsonObject:"
                    + " @Upcast(event = %s.class, from = %d) static JsonObject %s(JsonObject json)."),

    /** A type that never appeared, even after every processing round. */
    TYPE_UNRESOLVED("TYPE-UNRESOLVED",
            "eskit needs every type that \"%s\" refers to, but \"%s\" does not exist after all annotation processing"
                    + " rounds. Fix the name or its import, or make sure the processor that generates it runs."),

    /** An unexpected failure inside the processor. */
    INTERNAL("INTERNAL",
            "The eskit processor failed on \"%s\"; this is a bug in eskit, please report it with this trace. The"
                    + " other types were processed normally.%n%s");

    private final String tag;
    private final Diagnostic.Kind kind;
    private final String format;

    Message(String tag, String format) {
        this(tag, Diagnostic.Kind.ERROR, format);
    }

    Message(String tag, Diagnostic.Kind kind, String format) {
        this.tag = "[ESKIT-" + tag + "]";
        this.kind = kind;
        this.format = format;
    }

    /** The stable tag, such as {@code [ESKIT-DECIDE-MISSING]}. */
    public String tag() {
        return tag;
    }

    /** Whether this is an error or a warning. */
    public Diagnostic.Kind kind() {
        return kind;
    }

    /** The full text for {@code args}, tag first. */
    public String format(Object... args) {
        return tag + " " + String.format(format, args);
    }
}
