package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.eskit.processor.diag.Message;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a new user ran into (issue 19): mistakes that compiled, DCB deciders that sealed types got in the way of, and
 * messages that suggested a wrong fix.
 */
class NewUserMistakesTest {

    /** Messages whose only negative test is here; {@link BadInputTest} counts them as covered. */
    static final Set<Message> COVERED = Set.of(Message.EVENT_ANNOTATION_MISSING);

    static Stream<BadInputTest.Case> cases() {
        return Stream.of(
                new BadInputTest.Case("EventAnnotationMissing", Message.EVENT_ANNOTATION_MISSING, "record Removed",
                        "\"Removed\" (a \"Evt\" of \"EventAnnotationMissing\") is not annotated @Event, and appending"
                                + " it would fail at run time. Annotate it: @Event record Removed(...)."),
                new BadInputTest.Case("HandleCommand", Message.HANDLE_NOT_EVENT, "Deposit command",
                        "It is a command (\"Account.deposit(State, Deposit)\" decides it), and projections see the"
                                + " events that decisions record, not commands. Handle \"Deposited\" instead."),
                new BadInputTest.Case("DeciderEvents", Message.DECIDER_EVENTS, "@Decider(",
                        "which share no sealed interface: \"Unrelated\" does not implement sealed \"Evt\" as"
                                + " \"Added\" does."),
                new BadInputTest.Case("UpcastVersionMeant", Message.UPCAST_VERSION, "from = 3",
                        "declares from = 3 while \"bad.Withdrawn\" is at version 3. Did you mean from = 2? Nothing"
                                + " upcasts version 2 yet."),
                new BadInputTest.Case("DecideMissing", Message.DECIDE_MISSING, "@Decider(",
                        "If it decides only \"Add\", declare that: @Decider(stream = \"counter\","
                                + " commands = Add.class)."),
                new BadInputTest.Case("DcbEvolveMatched", Message.EVOLVE_MISSING, "@DcbDecider(",
                        "has none for \"Renamed\". Add one: @Evolve static State evolve(State state, Renamed event)"
                                + " { ... } Its query matches \"Renamed\", so a store hands it to the decider; or"
                                + " leave it out of the query."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheRightFix(BadInputTest.Case c) {
        JavaFileObject file = JavaFileObjects.forResource("bad/" + c.file() + ".java");
        Compilation compilation = javac().withProcessors(new EskitProcessor()).compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(c.message().tag()).inFile(file).onLineContaining(c.line());
        assertThat(compilation).hadErrorContaining(c.text());
    }

    @Test
    void aHandledCommandIsNotToBeAnnotatedAsAnEvent() {
        Compilation compilation = javac().withProcessors(new EskitProcessor())
                .compile(JavaFileObjects.forResource("bad/HandleCommand.java"));
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            assertFalse(error.getMessage(null).contains("Annotate \"Deposit\" with @Event"), error.getMessage(null));
        }
    }

    @Test
    void aDcbDeciderFoldsSomeSealedEventsAndDecidesOneSealedCommand() throws IOException {
        Compilation compilation = Compile.compile(Compile.resources("dcbsubset"));
        assertThat(compilation).succeeded();
        assertTrue(compilation.errors().isEmpty(), compilation.errors().toString());
        String decider = compilation.generatedFile(StandardLocation.SOURCE_OUTPUT, "com/acme/lists/AddItemDecider.java")
                .orElseThrow().getCharContent(true).toString();
        assertTrue(decider.contains("DcbDecider<Integer, ListCommand.AddItem, ListEvent>"), decider);
    }

    @Test
    void everyCaseNamesAnExistingInput() {
        List<String> files = cases().map(BadInputTest.Case::file).toList();
        files.forEach(f -> JavaFileObjects.forResource("bad/" + f + ".java"));
    }
}
