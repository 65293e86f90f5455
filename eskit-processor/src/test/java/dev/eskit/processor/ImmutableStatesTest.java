package dev.eskit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.eskit.Decider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The processor proves a decider's state type deeply immutable, or says in the generated decider's Javadoc which part
 * of it is not; only a proven decider overrides {@link Decider#immutableStates()} (and so gets a state cache by
 * default).
 */
class ImmutableStatesTest {

    private static final String METHOD = "public boolean immutableStates()";

    /** A decider over {@code stateType}, with {@code declarations} beside it. */
    private static JavaFileObject source(String stateType, String declarations) {
        List<String> lines = new ArrayList<>(List.of(
                "package s;",
                "import dev.eskit.annotations.*;",
                "import java.math.*;",
                "import java.time.*;",
                "import java.util.*;",
                "interface Cmd {}",
                "interface Evt {}",
                "record Go(@StreamId String id) implements Cmd {}",
                "@Event record Went(String id) implements Evt {}"));
        lines.addAll(List.of(declarations.split("\n")));
        lines.addAll(List.of(
                "@Decider(stream = \"thing\", commands = Cmd.class, events = Evt.class)",
                "public final class Thing {",
                "  @InitialState public static " + stateType + " initial() { return null; }",
                "  @Decide public static List<Evt> go(" + stateType + " s, Go c) { return List.of(new Went(c.id())); }",
                "  @Evolve public static " + stateType + " went(" + stateType + " s, Went e) { return s; }",
                "}"));
        return JavaFileObjects.forSourceLines("s.Thing", lines);
    }

    /** {@code @kotlin.Metadata}, which kapt's stubs of Kotlin classes carry (no Kotlin library here). */
    private static final JavaFileObject KOTLIN_METADATA = JavaFileObjects.forResource("kotlin/Metadata.java");

    /** A stub of a Kotlin class {@code St(items: List<String>, counts: Map<String, Int>)}, from the test resources. */
    private static String kotlinStub(String name) throws IOException {
        return java.nio.file.Files.readString(Compile.resourcePath("kotlinstubs/states/" + name + ".txt"));
    }

    private static String generated(String stateType, String declarations) throws IOException {
        Compilation compilation = Compile.compile(List.of(source(stateType, declarations), KOTLIN_METADATA));
        assertThat(compilation).succeeded();
        return compilation.generatedSourceFile("s.ThingDecider").orElseThrow().getCharContent(true).toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scalars and JDK values | St | record St(String a, long b, Integer c, Instant t, UUID u, BigDecimal d, Optional<String> o, LocalDate day, Duration span) {}
            a boxed number         | Long |
            an enum                | St | enum St { OPEN, CLOSED }
            nested records         | St | record St(Inner inner, Kind kind) {}\\nrecord Inner(String x, OptionalLong n) {}\\nenum Kind { A, B }
            a sealed interface     | St | sealed interface St permits Open, Closed {}\\nrecord Open(String owner) implements St {}\\nrecord Closed() implements St {}
            a recursive record     | St | record St(String value, St next) {}
            a final class          | St | final class St { private final String a; private final int b; St(String a, int b) { this.a = a; this.b = b; } }
            a generic record       | St | record St(Box<String> box) {}\\nrecord Box<T>(T value) {}
            an enum with a value   | St | enum St { A(1); private final int weight; St(int w) { weight = w; } }
            """)
    void provenStatesAreCachedByDefault(String name, String stateType, String declarations) throws IOException {
        String decider = generated(stateType, declarations == null ? "" : declarations.replace("\\n", "\n"));
        assertTrue(decider.contains(METHOD), decider);
        assertFalse(decider.contains("not proven immutable"), decider);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a list of lists        | record St(String a, List<List<String>> items) {}                             | St.items is java.util.List&lt;java.util.List&lt;java.lang.String&gt;&gt;, an interface that is not sealed
            a list in a class      | final class St { private final List<String> items = List.of(); }             | St.items is java.util.List&lt;java.lang.String&gt;, an interface that is not sealed
            a list of open things  | record St(List<Object> items) {}                                             | St.items is java.util.List&lt;java.lang.Object&gt;
            an array               | record St(int[] counts) {}                                                   | St.counts is an array
            a field not final      | final class St { private String a; }                                         | St.a is not final
            an open class          | class St { }                                                                 | St is s.St, a class that is neither final nor sealed
            a sealed subtype       | sealed interface St permits A, B {}\\nrecord A() implements St {}\\nfinal class B implements St { int n; } | St (as B).n is not final
            a generic's argument   | record St(Box<List<String>> box) {}\\nrecord Box<T>(T value) {}               | St.box.value is java.util.List&lt;java.lang.String&gt;
            an Object              | record St(Object any) {}                                                     | St.any is java.lang.Object, not a JDK type known to be immutable
            a Date                 | record St(Date when) {}                                                      | St.when is java.util.Date, not a JDK type known to be immutable
            an Optional's value    | record St(Optional<Set<String>> tags) {}                                     | St.tags's value is java.util.Set&lt;java.lang.String&gt;
            a plain interface      | interface St {}                                                              | St is s.St, an interface that is not sealed
            a mutable superclass   | abstract class Base { protected int n; }\\nfinal class St extends Base { }    | St.n is not final
            """)
    void otherStatesSayWhichPartIsNotProven(String name, String declarations, String reason) throws IOException {
        String decider = generated("St", declarations.replace("\\n", "\n"));
        assertFalse(decider.contains(METHOD), decider);
        assertTrue(decider.contains("they are not proven immutable, because " + reason), decider);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            a list                 # St           # record St(String a, List<String> items) {}                                        # return value == null || ImmutableValues.isUnmodifiable(value.items());
            a map and a set        # St           # record St(Map<String, Integer> counts, Set<UUID> ids) {}                          # return value == null || ImmutableValues.isUnmodifiable(value.counts())\\n                && ImmutableValues.isUnmodifiable(value.ids());
            a nested record        # St           # record St(Cart cart, long n) {}\\nrecord Cart(Collection<String> lines) {}        # private static boolean immutable(St value) {\\n        return value == null || immutable(value.cart());
            a sealed interface     # St           # sealed interface St permits Open, Closed {}\\nrecord Open(List<String> items) implements St {}\\nrecord Closed() implements St {} # return value == null || (!(value instanceof Open v0) || immutable(v0));
            a recursive record     # St           # record St(List<String> tags, St next) {}                                          # return value == null || ImmutableValues.isUnmodifiable(value.tags())\\n                && immutable(value.next());
            a list as the state    # List<String> #                                                                                   # return ImmutableValues.isUnmodifiable(state);
            """)
    void statesWithCollectionsAreCheckedAtRunTime(String name, String stateType, String declarations, String code)
            throws IOException {
        String decider = generated(stateType, declarations == null ? "" : declarations.replace("\\n", "\n"));
        assertFalse(decider.contains(METHOD), decider);
        assertTrue(decider.contains("public boolean checksStates()"), decider);
        assertTrue(decider.contains("as they are when {@link #isImmutable} finds"), decider);
        assertTrue(decider.contains(code.replace("\\n", "\n")), decider);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            a list                 # St           # record St(String a, List<String> items) {}                                        # return value == null ? null : new St(\\n                value.a(),\\n                ImmutableValues.copy(value.items()));
            a checked list         # St           # record St(String a, List<String> items) {}                                        # return value == null || ImmutableValues.isCopyable(value.items());
            a nested record        # St           # record St(Cart cart, long n) {}\\nrecord Cart(Collection<String> lines) {}        # return value == null ? null : new St(\\n                copy(value.cart()),\\n                value.n());
            a sealed interface     # St           # sealed interface St permits Open, Closed {}\\nrecord Open(List<String> items) implements St {}\\nrecord Closed() implements St {} # if (value instanceof Open v0) {\\n            return copy(v0);\\n        }\\n        return value;
            a recursive record     # St           # record St(List<String> tags, St next) {}                                          # new St(\\n                ImmutableValues.copy(value.tags()),\\n                copy(value.next()));
            a list as the state    # List<String> #                                                                                   # return ImmutableValues.isCopyable(state) ? ImmutableValues.copy(state) : null;
            a record state         # St           # record St(Map<String, Integer> counts) {}                                         # public St copyState(St state) {\\n        return copyable(state) ? copy(state) : null;
            """)
    void statesWithCollectionsAreCopied(String name, String stateType, String declarations, String code)
            throws IOException {
        String decider = generated(stateType, declarations == null ? "" : declarations.replace("\\n", "\n"));
        assertTrue(decider.contains(code.replace("\\n", "\n")), decider);
    }

    /** Compiles a decider over {@code St} declared by {@code declarations} into {@code dir}; a loader of the classes. */
    private static URLClassLoader compiled(Path dir, String declarations) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null,
                    List.of("-d", dir.toString(), "-s", dir.toString(), "-Aeskit.schemaLock=none", "-classpath",
                            System.getProperty("java.class.path")), null,
                    List.of(source("St", declarations), KOTLIN_METADATA));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call());
        }
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ImmutableStatesTest.class.getClassLoader());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theGeneratedChecksTellUnmodifiableListsApartAtRunTime(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = compiled(dir, "sealed interface St permits Open, Closed {}\n"
                + "record Open(String owner, List<String> tags, Map<String, Long> counts) implements St {}\n"
                + "record Closed(String why) implements St {}")) {
            Decider decider = (Decider) loader.loadClass("s.ThingDecider").getConstructor().newInstance();
            assertFalse(decider.immutableStates());
            assertTrue(decider.checksStates());
            java.lang.reflect.Constructor<?> open = loader.loadClass("s.Open").getDeclaredConstructors()[0];
            open.setAccessible(true);
            java.lang.reflect.Constructor<?> closed = loader.loadClass("s.Closed").getDeclaredConstructors()[0];
            closed.setAccessible(true);
            assertTrue(decider.isImmutable(open.newInstance("a", List.of("x"), Map.of("k", 1L))));
            assertTrue(decider.isImmutable(open.newInstance("a", null, Map.of())), "null is not changeable");
            assertTrue(decider.isImmutable(closed.newInstance("done")));
            assertTrue(decider.isImmutable(null));
            assertFalse(decider.isImmutable(open.newInstance("a", new ArrayList<>(List.of("x")), Map.of())));
            assertFalse(decider.isImmutable(open.newInstance("a", List.of(), new java.util.HashMap<>())));
        }
    }

    @Test
    void kotlinDataClassesAreCheckedAndCopiedThroughTheirComponents() throws IOException {
        String decider = generated("St", kotlinStub("DataClass"));
        assertTrue(decider.contains("public boolean checksStates()"), decider);
        assertTrue(decider.contains("return value == null || ImmutableValues.isUnmodifiable(value.component1())\n"
                + "                && ImmutableValues.isUnmodifiable(value.component2());"), decider);
        assertTrue(decider.contains("return value == null ? null : new St(\n                ImmutableValues.copy("
                + "value.component1()),\n                ImmutableValues.copy(value.component2()));"), decider);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a data class by its metadata | PlainClass |                  |
            not from Kotlin                  | DataClass  | @kotlin.Metadata |
            a field that is no component     | DataClass  |                  | private final int extra = 0;
            a component out of order         | DataClass  |                  | public final int component3() { return 0; }
            """)
    void otherFinalClassesWithCollectionsAreNotChecked(String name, String stub, String drop, String extra)
            throws IOException {
        String declarations = kotlinStub(stub);
        if (drop != null) {
            declarations = declarations.replaceAll("(?m)^@kotlin\\.Metadata.*$", "");
        }
        if (extra != null) {
            declarations = declarations.replace("  private final List<String> items;",
                    "  private final List<String> items;\n  " + extra);
        }
        String decider = generated("St", declarations);
        assertFalse(decider.contains("checksStates()"), decider);
        assertTrue(decider.contains("they are not proven immutable"), decider);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aKotlinDataClassIsCopiedAtRunTime(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = compiled(dir, kotlinStub("DataClass"))) {
            Decider decider = (Decider) loader.loadClass("s.ThingDecider").getConstructor().newInstance();
            java.lang.reflect.Constructor<?> st = loader.loadClass("s.St").getDeclaredConstructors()[0];
            st.setAccessible(true);
            List<String> items = new ArrayList<>(List.of("a"));
            Map<String, Integer> counts = new java.util.LinkedHashMap<>(Map.of("a", 1));
            Object state = st.newInstance(items, counts);
            assertFalse(decider.isImmutable(state));
            Object copy = decider.copyState(state);
            assertEquals(state, copy);
            assertNotSame(items, component(copy, "component1"));
            assertNotSame(counts, component(copy, "component2"));
            assertTrue(decider.isImmutable(st.newInstance(List.of("a"), Map.of())));
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aKotlinSealedClassOfDataClassesIsCheckedAndCopiedAsItsSubclass(@TempDir Path dir) throws Exception {
        String declarations = kotlinStub("SealedClass");
        String decider = generated("St", declarations);
        assertTrue(decider.contains("if (value instanceof St.Filled v0) {\n            return copy(v0);\n        }\n"
                + "        return value;"), decider);
        try (URLClassLoader loader = compiled(dir, declarations)) {
            Decider checked = (Decider) loader.loadClass("s.ThingDecider").getConstructor().newInstance();
            assertTrue(checked.checksStates());
            Object empty = loader.loadClass("s.St$Empty").getField("INSTANCE").get(null);
            assertTrue(checked.isImmutable(empty));
            java.lang.reflect.Constructor<?> filled = loader.loadClass("s.St$Filled").getConstructors()[0];
            List<String> items = new ArrayList<>(List.of("a"));
            Object state = filled.newInstance(items, "ann");
            assertFalse(checked.isImmutable(state));
            Object copy = checked.copyState(state);
            assertEquals(state, copy);
            assertNotSame(items, component(copy, "component1"));
            assertSame(empty, checked.copyState(empty), "an object holds nothing to copy");
        }
    }

    private static final String NESTED = "record St(List<Line> lines, Map<String, Line> byId) {}\n"
            + "record Line(String sku, List<String> tags) {}";

    @Test
    void listsAndMapsOfCheckedRecordsAreCheckedAndCopiedElementByElement() throws IOException {
        String decider = generated("St", NESTED);
        assertTrue(decider.contains("return value == null || ImmutableValues.isUnmodifiable(value.lines())\n"
                + "                && ImmutableValues.allMatch(value.lines(), element -> immutable(element))\n"
                + "                && ImmutableValues.isUnmodifiable(value.byId())\n"
                + "                && ImmutableValues.allValuesMatch(value.byId(), element -> immutable(element));"),
                decider);
        assertTrue(decider.contains("ImmutableValues.copy(value.lines(), element -> copy(element)),\n"
                + "                ImmutableValues.copyValues(value.byId(), element -> copy(element)));"), decider);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a set of checked records      | record St(Set<Line> lines) {}
            a map keyed by checked records | record St(Map<Line, String> names) {}
            a list as the state itself    |
            """)
    void checkedRecordsAsSetElementsOrMapKeysAreNotChecked(String name, String declarations) throws IOException {
        String state = declarations == null ? "List<Line>" : "St";
        String decider = generated(state, (declarations == null ? "" : declarations + "\n")
                + "record Line(String sku, List<String> tags) {}");
        assertFalse(decider.contains("checksStates()"), decider);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void nestedCollectionsAreCopiedAllTheWayDown(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = compiled(dir, NESTED)) {
            Decider decider = (Decider) loader.loadClass("s.ThingDecider").getConstructor().newInstance();
            java.lang.reflect.Constructor<?> st = loader.loadClass("s.St").getDeclaredConstructors()[0];
            st.setAccessible(true);
            java.lang.reflect.Constructor<?> line = loader.loadClass("s.Line").getDeclaredConstructors()[0];
            line.setAccessible(true);
            List<String> tags = new ArrayList<>(List.of("red"));
            Object first = line.newInstance("a", tags);
            Map<String, Object> byId = new java.util.HashMap<>(Map.of("a", first));
            Object state = st.newInstance(new ArrayList<>(List.of(first)), byId);
            assertFalse(decider.isImmutable(state));
            Object copy = decider.copyState(state);
            assertEquals(state, copy);
            Object copiedLine = ((List<?>) component(copy, "lines")).get(0);
            assertNotSame(first, copiedLine);
            assertNotSame(tags, component(copiedLine, "tags"));
            assertNotSame(first, ((Map<?, ?>) component(copy, "byId")).get("a"));
            tags.add("blue");
            assertEquals(List.of("red"), component(copiedLine, "tags"), "the copy's tags are its own");

            Object frozen = line.newInstance("b", List.of("green"));
            assertTrue(decider.isImmutable(st.newInstance(List.of(frozen), Map.of("b", frozen))));
            Object thawed = line.newInstance("c", new ArrayList<>(List.of("x")));
            Object inUnmodifiable = st.newInstance(List.of(thawed), Map.of());
            assertFalse(decider.isImmutable(inUnmodifiable), "an unmodifiable list of changeable lines");
            Object copiedThawed = ((List<?>) component(decider.copyState(inUnmodifiable), "lines")).get(0);
            assertNotSame(component(thawed, "tags"), component(copiedThawed, "tags"));
            assertNull(decider.copyState(st.newInstance(List.of(line.newInstance("d", new java.util.Vector<>())),
                    Map.of())), "a line holding a Vector is not copied");
        }
    }

    /** A record component's value, read through its accessor (the test's records are not public). */
    private static Object component(Object record, String name) throws ReflectiveOperationException {
        java.lang.reflect.Method accessor = record.getClass().getDeclaredMethod(name);
        accessor.setAccessible(true);
        return accessor.invoke(record);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theGeneratedCopiesShareNothingChangeable(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = compiled(dir, "sealed interface St permits Open, Closed {}\n"
                + "record Open(String owner, List<String> tags, Map<String, Long> counts, Line line) implements St {}\n"
                + "record Line(Set<String> skus) {}\n"
                + "record Closed(String why) implements St {}")) {
            Decider decider = (Decider) loader.loadClass("s.ThingDecider").getConstructor().newInstance();
            java.lang.reflect.Constructor<?> open = loader.loadClass("s.Open").getDeclaredConstructors()[0];
            open.setAccessible(true);
            java.lang.reflect.Constructor<?> line = loader.loadClass("s.Line").getDeclaredConstructors()[0];
            line.setAccessible(true);
            java.lang.reflect.Constructor<?> closed = loader.loadClass("s.Closed").getDeclaredConstructors()[0];
            closed.setAccessible(true);
            List<String> tags = new ArrayList<>(List.of("x", "y"));
            Map<String, Long> counts = new java.util.TreeMap<>(Map.of("k", 1L));
            java.util.Set<String> skus = new java.util.LinkedHashSet<>(List.of("b", "a"));
            Object state = open.newInstance("ann", tags, counts, line.newInstance(skus));
            Object copy = decider.copyState(state);
            assertEquals(state, copy);
            assertNotSame(state, copy);
            Object copiedLine = component(copy, "line");
            assertNotSame(tags, component(copy, "tags"));
            assertNotSame(counts, component(copy, "counts"));
            assertNotSame(skus, component(copiedLine, "skus"));
            assertEquals(java.util.TreeMap.class, component(copy, "counts").getClass());
            tags.add("z");
            skus.add("c");
            assertEquals(List.of("x", "y"), component(copy, "tags"), "the copy keeps its list");
            assertEquals(List.of("b", "a"), new ArrayList<>((java.util.Set<String>)
                    component(copiedLine, "skus")), "in the same order");

            Object done = closed.newInstance("paid");
            assertSame(done, decider.copyState(done), "nothing in it to copy");
            Object immutable = open.newInstance("ann", List.of("x"), Map.of(), line.newInstance(Set.of()));
            assertEquals(immutable, decider.copyState(immutable));
            assertNull(decider.copyState(open.newInstance("ann", new java.util.Vector<>(List.of("x")), Map.of(),
                    null)), "a Vector is not copied, so the state is not cached");
            assertNull(decider.copyState(open.newInstance("ann", List.of(), Map.of(),
                    line.newInstance(new java.util.concurrent.CopyOnWriteArraySet<>()))), "nor a set of another class");
        }
    }

    @Test
    void theGeneratedDeciderSaysSoAtRunTime(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = compiled(dir, "record St(String owner, long balance) {}")) {
            Decider<?, ?, ?> decider = (Decider<?, ?, ?>) loader.loadClass("s.ThingDecider").getConstructor()
                    .newInstance();
            assertTrue(decider.immutableStates());
        }
        assertFalse(Decider.of(() -> 0, (s, c) -> List.of(), (s, e) -> s).immutableStates(),
                "a decider built from functions proves nothing");
    }
}
