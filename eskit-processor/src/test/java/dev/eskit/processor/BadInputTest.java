package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.eskit.processor.diag.Message;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One failing compilation per {@link Message} constant: the tag, the text and the line it is reported on. */
class BadInputTest {

    /**
     * A bad input.
     *
     * @param file    the file under {@code bad/}
     * @param message the constant it must trigger
     * @param line    text on the line the error must point at
     * @param text    more text the message must contain
     */
    record Case(String file, Message message, String line, String text) {
        @Override
        public String toString() {
            return message + " (" + file + ")";
        }
    }

    static final List<Case> CASES = List.of(
            new Case("EventNotRecord", Message.EVENT_NOT_RECORD, "@Event", "\"bad.EventNotRecord\" is a class"),
            new Case("EventKotlinClass", Message.EVENT_KOTLIN_CLASS, "@Event",
                    "but \"bad.EventKotlinClass\" is open. Make it a data class: data class EventKotlinClass(val ...)."),
            new Case("EventGeneric", Message.EVENT_GENERIC, "@Event", "type parameters <T>"),
            new Case("EventVersion", Message.EVENT_VERSION, "version = 0", "declares version = 0"),
            new Case("EventNameInvalid", Message.EVENT_NAME_INVALID, "@Event(name", "name \"bank Deposited\""),
            new Case("EventNameDuplicate", Message.EVENT_NAME_DUPLICATE, "// second",
                    "\"bank.Same\" is claimed by both \"bad.First\" and \"bad.Second\""),
            new Case("CommandNameDuplicate", Message.COMMAND_NAME_DUPLICATE, "record Add(",
                    "\"bad.Add\" is claimed by both \"bad.Added\" and \"bad.Add\""),
            new Case("NotAccessible", Message.NOT_ACCESSIBLE, "private static Added add", "is private"),
            new Case("DeciderInstantiation", Message.DECIDER_INSTANTIATION, "final class DeciderInstantiation",
                    "no non-private no-argument constructor"),
            new Case("DeciderStreamInvalid", Message.DECIDER_STREAM_INVALID, "stream = \"\"",
                    "Use a short name such as \"deciderstreaminvalid\""),
            new Case("DeciderCommands", Message.DECIDER_COMMANDS, "@Decider(",
                    "take \"Add\", \"Other\", which share no sealed interface"),
            new Case("DeciderEvents", Message.DECIDER_EVENTS, "@Decider(",
                    "use \"Added\", \"Unrelated\", which share no sealed interface"),
            new Case("InitialStateMissing", Message.INITIAL_STATE_MISSING, "@Decider(",
                    "Did you mean to annotate \"initial()\" with @InitialState?"),
            new Case("InitialStateDuplicate", Message.INITIAL_STATE_DUPLICATE, "// second",
                    "has 2: \"initial()\", \"another()\""),
            new Case("InitialStateSignature", Message.INITIAL_STATE_SIGNATURE, "initial(long start)",
                    "takes parameters"),
            new Case("DecideSignature", Message.DECIDE_SIGNATURE, "long extra", "takes 3 parameters"),
            new Case("DecideReturn", Message.DECIDE_RETURN, "static void add", "returns \"void\""),
            new Case("EvolveSignature", Message.EVOLVE_SIGNATURE, "static String added", "returns \"String\""),
            new Case("HandlerDuplicate", Message.HANDLER_DUPLICATE, "addAgain",
                    "\"Add\" is handled by both \"add(State, Add)\" and \"addAgain(State, Add)\""),
            new Case("DecideMissing", Message.DECIDE_MISSING, "@Decider(",
                    "has none for \"Remove\". Add one: @Decide static List<Added> decide(State state, Remove command)"),
            new Case("EvolveMissing", Message.EVOLVE_MISSING, "@Decider(", "has none for \"Removed\""),
            new Case("StreamIdMissing", Message.STREAM_ID_MISSING, "Add command",
                    "Did you mean to annotate component \"accountId\" with @StreamId?"),
            new Case("StreamIdAmbiguous", Message.STREAM_ID_AMBIGUOUS, "Add command",
                    "\"Add\" has 2: \"accountId\", \"otherId\""),
            new Case("StreamIdSignature", Message.STREAM_ID_SIGNATURE, "String prefix", "takes 2 parameters"),
            new Case("HandleNotEvent", Message.HANDLE_NOT_EVENT, "Deposit event",
                    "not annotated @Event. Annotate \"Deposit\" with @Event, or handle an event type instead."
                            + " Did you mean \"Deposited\"?"),
            new Case("ProjectionNameInvalid", Message.PROJECTION_NAME_INVALID, "name = \" balances\"",
                    "declares name = \" balances\". Use a short stable name such as \"projectionnameinvalid\""),
            new Case("HandleSignature", Message.HANDLE_SIGNATURE, "int on(", "returns \"int\""),
            new Case("HandlerOutside", Message.HANDLER_OUTSIDE, "@Decide",
                    "\"HandlerOutside\", which is not. Annotate \"HandlerOutside\" with @Decider"),
            new Case("EventAliasRepeated", Message.EVENT_ALIAS_REPEATED, "aliases = {",
                    "lists \"bank.Same\" although it is the current name. Remove it from aliases."),
            new Case("UpcastNotEvent", Message.UPCAST_NOT_EVENT, "event = Deposit.class",
                    "\"DepositUpcasts.addCurrency(ObjectNode)\" names \"Deposit\", which is not annotated @Event."
                            + " Name the event record in @Upcast(event = ...), or annotate \"Deposit\" with @Event."
                            + " Did you mean \"Deposited\"?"),
            new Case("UpcastSignature", Message.UPCAST_SIGNATURE, "ObjectNode addReason(",
                    "but \"WithdrawnUpcasts.addReason(ObjectNode)\" is not static. Declare it as:"
                            + " @Upcast(event = Withdrawn.class, from = 1) static ObjectNode addReason(ObjectNode json)."),
            new Case("UpcastVersion", Message.UPCAST_VERSION, "from = 2",
                    "\"WithdrawnUpcasts.addCurrency\" declares from = 2 while \"bad.Withdrawn\" is at"
                            + " version 2. If this upcaster produces a new version, raise the event to"
                            + " @Event(version = 3); otherwise remove it."),
            new Case("UpcastDuplicate", Message.UPCAST_DUPLICATE, "// second",
                    "version 1 of \"bad.Withdrawn\" is upcast by both \"WithdrawnUpcasts.addReason\" and"
                            + " \"WithdrawnUpcasts.addEmptyReason\". Keep one of them."),
            new Case("UpcastGap", Message.UPCAST_GAP, "@Upcast(",
                    "Upcasters for \"bad.Withdrawn\" go from version 1 to 3 but nothing upcasts version 2."
                            + " Add @Upcast(event = Withdrawn.class, from = 2)."),
            new Case("CodecUnsupported", Message.CODEC_UNSUPPORTED, "Object payload",
                    "property \"payload\" of \"bad.CodecUnsupported\" has type java.lang.Object, which is neither a"
                            + " record"),
            new Case("TypeUnresolved", Message.TYPE_UNRESOLVED, "final class TypeUnresolved", "\"DoesNotExist\""),
            new Case("Internal", Message.INTERNAL, "final class Internal", "deliberate failure for bad.Internal"),
            new Case("PersonalDataNoSubject", Message.PERSONAL_DATA_NO_SUBJECT, "@PersonalData String email",
                    "Did you mean to annotate component \"customerId\" with @DataSubject?"),
            new Case("PersonalDataSubjectUnknown", Message.PERSONAL_DATA_SUBJECT_UNKNOWN,
                    "subject = \"customerID\"", "has no component \"customerID\". Use one of \"customerId\","
                            + " \"email\". Did you mean \"customerId\"?"),
            new Case("DataSubjectDuplicate", Message.DATA_SUBJECT_DUPLICATE, "// second",
                    "has 2: \"customerId\", \"friendId\""),
            new Case("TagPrefixInvalid", Message.TAG_PREFIX_INVALID, "@Tag(\"course id\")",
                    "component \"courseId\" of \"bad.Labelled\" declares the tag prefix \"course id\". Use a prefix"
                            + " such as \"courseid\""),
            new Case("DcbQueryInvalid", Message.DCB_QUERY_INVALID, "types = {Added.class, NotAnEvent.class}",
                    "lists \"NotAnEvent\", which is not an @Event record"),
            new Case("DcbQueryUncovered", Message.DCB_QUERY_UNCOVERED, "query = @QueryItem(types = Added.class",
                    "the query of \"bad.DcbQueryUncovered\" does not match \"Removed\". Add Removed.class"),
            new Case("DcbQueryTagMissing", Message.DCB_QUERY_TAG_MISSING, "Cleared.class}",
                    "\"Cleared\" has no @Tag(\"list\") component, so this item of \"bad.DcbQueryTagMissing\" can"
                            + " never match it"),
            new Case("DcbTagUnbound", Message.DCB_TAG_UNBOUND, "record Add(String listId)",
                    "\"Add\" has no @Tag(\"list\") component. Annotate exactly one"),
            // Variants: other ways to trigger a message.
            new Case("EventAliasDuplicate", Message.EVENT_NAME_DUPLICATE, "aliases = {\"bank.Old\"}",
                    "\"bank.Old\" is claimed by both \"bad.Current\" and \"bad.Other\""),
            new Case("PrivateEvent", Message.NOT_ACCESSIBLE, "private record Hidden", "but it is private"),
            new Case("CommandNotDeclared", Message.DECIDE_SIGNATURE, "Add c)",
                    "takes command \"Add\", which is not a \"Declared\" (the declared commands type)"),
            new Case("DecideCheckedException", Message.DECIDE_SIGNATURE, "throws java.io.IOException",
                    "declares checked exceptions [java.io.IOException]"),
            new Case("StoredEventWrongType", Message.HANDLE_SIGNATURE, "StoredEvent<Withdrawn> stored",
                    "instead of \"StoredEvent<Deposited>\""),
            new Case("StateMismatch", Message.DECIDE_SIGNATURE, "Long s",
                    "takes state \"Long\" but the @InitialState method returns \"State\""),
            new Case("UpcastGapNone", Message.UPCAST_GAP, "version = 2",
                    "go from version 1 to 2 but nothing upcasts version 1."
                            + " Add @Upcast(event = Withdrawn.class, from = 1)."),
            new Case("UpcastParameter", Message.UPCAST_SIGNATURE, "String v1",
                    "takes \"String\", which is neither ObjectNode nor a non-generic record"),
            new Case("UpcastCodec", Message.UPCAST_CODEC, "WithdrawnV1 v1",
                    "but \"WithdrawnUpcasts.addReason(WithdrawnV1)\" reads \"bad.WithdrawnUpcasts.WithdrawnV1\", whose"
                            + " property \"note\" has type java.lang.Object, which is neither a record"),
            new Case("UpcastCodecResult", Message.UPCAST_CODEC, "static WithdrawnV2 addNotes(",
                    "\"WithdrawnUpcasts.addNotes(WithdrawnV1)\" returns \"bad.WithdrawnUpcasts.WithdrawnV2\", whose"
                            + " property \"notes\" has type java.util.Map<java.lang.Integer, java.lang.String>, which has"
                            + " keys that are not String. Make \"WithdrawnV2\" a record of supported types"),
            new Case("UpcastJsonObjectMixed", Message.UPCAST_SIGNATURE, "ObjectNode addReason(",
                    "mixes JsonObject with another type; the streaming form is JsonObject m(JsonObject)"),
            new Case("UpcastCurrentTooEarly", Message.UPCAST_SIGNATURE, "Withdrawn toCurrent(",
                    "returns \"Withdrawn\", the current version 3, but from = 1 produces version 2"),
            new Case("EventAliasAlias", Message.EVENT_NAME_DUPLICATE, "name = \"bank.Second\"",
                    "\"bank.Former\" is claimed by both \"bad.First\" and \"bad.Second\""),
            new Case("UpcastPrivate", Message.NOT_ACCESSIBLE, "private static ObjectNode", "but it is private"),
            new Case("KotlinEvolveMissing", Message.EVOLVE_MISSING, "@Decider(",
                    "Every event of sealed \"KotlinEvent\" needs an @Evolve method, but \"bad.KotlinEvolveMissing\""
                            + " has none for \"Removed\""),
            new Case("EventKotlinObject", Message.EVENT_KOTLIN_CLASS, "@Event",
                    "has no public constructor (an object, or a private constructor)"));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheMessageOnTheNarrowestElement(Case c) {
        JavaFileObject file = JavaFileObjects.forResource("bad/" + c.file() + ".java");
        EskitProcessor processor = new EskitProcessor(type -> {
            if (c.message() == Message.INTERNAL && type.getSimpleName().contentEquals("Internal")) {
                throw new IllegalStateException("deliberate failure for " + type.getQualifiedName());
            }
        });
        // kotlin.Metadata comes along for the Kotlin cases (kapt stubs carry it); it changes nothing for Java ones.
        Compilation compilation = javac().withProcessors(processor)
                .compile(file, JavaFileObjects.forResource("kotlin/Metadata.java"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(c.message().tag()).inFile(file).onLineContaining(c.line());
        assertThat(compilation).hadErrorContaining(c.text());
    }

    @Test
    void everyMessageHasANegativeTest() {
        Set<Message> tested = CASES.stream().map(Case::message).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(Message.class)));
        tested.addAll(SchemaLockTest.COVERED);
        tested.addAll(NewUserMistakesTest.COVERED);
        tested.addAll(CommandSchemaTest.COVERED);
        Set<Message> untested = EnumSet.allOf(Message.class);
        untested.removeAll(tested);
        assertEquals(Set.of(), untested, "Message constants without a bad/ input");
    }

    @Test
    void tagsAreUniqueAndStable() {
        List<String> tags = Arrays.stream(Message.values()).map(Message::tag).toList();
        assertEquals(tags.size(), Set.copyOf(tags).size());
        tags.forEach(tag -> org.junit.jupiter.api.Assertions.assertTrue(tag.matches("\\[ESKIT-[A-Z-]+]"), tag));
    }
}
