package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbDecider;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.store.InMemoryEventStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time behaviour of the code generated for the {@code dcbgood/} course domain: the registry's tag extractors, the
 * decider's query bound to the command's tags, and the decider run by {@link DcbCommandHandler} on the in-memory
 * store.
 */
class DcbGeneratedBehaviourTest {

    @Test
    @SuppressWarnings("unchecked")
    void generatedTagsAndQueryDriveADcbCommandHandler(@TempDir Path dir) throws Throwable {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null,
                    List.of("-d", dir.toString(), "-s", dir.toString(), "-classpath",
                            System.getProperty("java.class.path")), null, Compile.resources("dcbgood"));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                DcbGeneratedBehaviourTest.class.getClassLoader())) {
            EventTypes types = EventTypes.of((EventTypeRegistry) loader.loadClass("com.acme.courses.CoursesEventTypes")
                    .getConstructor().newInstance());
            Class<?> subscribed = loader.loadClass("com.acme.courses.StudentSubscribed");
            Object event = MethodHandles.publicLookup().findConstructor(subscribed,
                    MethodType.methodType(void.class, String.class, String.class)).invoke("c1", "s7");
            EventType<?> type = types.byClass(subscribed);
            assertEquals(List.of(Tag.of("course:c1"), Tag.of("student:s7")), type.tagsOf(event));

            Class<?> commandClass = loader.loadClass("com.acme.courses.SubscribeStudent");
            Object command = MethodHandles.publicLookup().findConstructor(commandClass,
                    MethodType.methodType(void.class, String.class, String.class)).invoke("c1", "s7");
            DcbDecider<Object, Object, Object> decider = (DcbDecider<Object, Object, Object>) loader
                    .loadClass("com.acme.courses.SubscribeDecider").getConstructor().newInstance();
            assertEquals(Query.of(
                    QueryItem.types("courses.CourseDefined", "courses.CourseCapacityChanged",
                            "courses.StudentSubscribed").withTags(Tag.of("course", "c1")),
                    QueryItem.types("courses.StudentSubscribed").withTags(Tag.of("student", "s7"))),
                    decider.query(command));

            InMemoryEventStore store = new InMemoryEventStore(types);
            DcbCommandHandler<Object, Object, Object> handler = DcbCommandHandler.of(store, decider);
            assertThrows(IllegalStateException.class, () -> handler.handle(command), "no course, no capacity");
            Class<?> defined = loader.loadClass("com.acme.courses.CourseDefined");
            store.append(List.of(MethodHandles.publicLookup().findConstructor(defined,
                    MethodType.methodType(void.class, String.class, int.class)).invoke("c1", 1)), null);
            assertEquals(1, handler.handle(command).events().size());
            assertThrows(IllegalStateException.class, () -> handler.handle(command), "capacity 1 is taken");
            List<StoredEvent<Object>> log = store.read(Query.all(), Position.START, 10);
            assertEquals(2, log.size());
        }
    }
}
