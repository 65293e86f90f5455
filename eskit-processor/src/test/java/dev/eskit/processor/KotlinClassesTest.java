package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.eskit.Decider;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.command.CommandRoute;
import dev.eskit.projection.ProjectionHandler;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kotlin classes as kapt shows them to the processor (Java stubs with {@code @kotlin.Metadata}): data classes are
 * event types with a registry, a schema lock shape from the constructor, {@code @StreamId} on a constructor
 * parameter or a getter routes through the getter, and projections filter by wire names and aliases. The
 * {@code samples/kotlin-shop} module runs the same through real kapt.
 */
class KotlinClassesTest {

    @TempDir
    static Path dir;

    private static URLClassLoader loader;

    @BeforeAll
    static void compile() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = javac.getTask(output, files, null,
                    List.of("-d", dir.toString(), "-s", dir.toString(),
                            "-Aeskit.schemaLock=" + dir.resolve("schema.lock"), "-classpath",
                            System.getProperty("java.class.path")), null,
                    List.of(JavaFileObjects.forResource("kotlin/Metadata.java"),
                            JavaFileObjects.forResource("kotlinstubs/shop/Shop.java")));
            task.setProcessors(List.of(new EskitProcessor()));
            assertTrue(task.call(), output::toString);
        }
        loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, KotlinClassesTest.class.getClassLoader());
    }

    private static Object create(String name) throws Exception {
        return construct(name, new Class<?>[0]);
    }

    /** A new instance of {@code name}; the test domain's classes are package-private. */
    private static Object construct(String name, Class<?>[] types, Object... args) throws Exception {
        java.lang.reflect.Constructor<?> constructor = loader.loadClass(name).getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
    }

    @Test
    void dataClassEventsGetARegistryWithNamesAndAliases() throws Exception {
        EventTypeRegistry registry = (EventTypeRegistry) create("shop.ShopEventTypes");
        Map<String, EventType<?>> byName = registry.eventTypes().stream()
                .collect(Collectors.toMap(EventType::name, Function.identity()));
        assertEquals(List.of("shop.Cleared", "shop.ItemAdded"), byName.keySet().stream().sorted().toList());
        assertEquals("shop.ItemAdded", byName.get("shop.ItemAdded").javaType().getName());
        assertEquals(List.of("shop.ItemPut"), List.copyOf(byName.get("shop.ItemAdded").aliases()));
        assertEquals(2, byName.get("shop.Cleared").version());
        assertEquals(java.util.Set.of(1), byName.get("shop.Cleared").upcasters().keySet(),
                "a typed upcaster may read an old shape kept as a data class");
        String services = Files.readString(dir.resolve("META-INF/services/dev.eskit.codec.EventTypeRegistry"));
        assertTrue(services.contains("shop.ShopEventTypes"), services);
    }

    @Test
    void theSchemaLockTakesTheShapeFromTheConstructorProperties() throws Exception {
        String lock = Files.readString(dir.resolve("schema.lock"));
        String itemAdded = lock.substring(lock.indexOf("event shop.ItemAdded"));
        itemAdded = itemAdded.substring(0, itemAdded.indexOf("\n\n") < 0 ? itemAdded.length()
                : itemAdded.indexOf("\n\n"));
        assertEquals("""
                event shop.ItemAdded version 1 class shop.ItemAdded
                  isGift: boolean
                  price: shop.Money
                  price.cents: long
                  price.currency: java.lang.String
                  quantity: int
                  sku: java.lang.String
                  tags: java.util.List<java.lang.String>""", itemAdded.strip());
        assertFalse(lock.contains("total"), "a computed property is no part of the shape:\n" + lock);
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamIdOnAConstructorParameterOrAGetterRoutesThroughTheGetter() throws Exception {
        Class<?> decider = loader.loadClass("shop.CartDecider");
        List<CommandRoute<Object, Object, Object>> routes = (List<CommandRoute<Object, Object, Object>>) decider
                .getMethod("routes").invoke(null);
        Map<String, CommandRoute<Object, Object, Object>> byCommand = routes.stream()
                .collect(Collectors.toMap(r -> r.commandType().getName(), Function.identity()));
        Object add = construct("shop.AddItem", new Class<?>[] {String.class, String.class, int.class}, "cart-1",
                "apple", 2);
        Object clear = construct("shop.Clear", new Class<?>[] {String.class}, "cart-2");
        assertEquals("cart-1", byCommand.get("shop.AddItem").streamId().apply(add));
        assertEquals("cart-2", byCommand.get("shop.Clear").streamId().apply(clear));
        assertEquals("cart", byCommand.get("shop.AddItem").streamType());

        Decider<Object, Object, Object> cart = (Decider<Object, Object, Object>) create("shop.CartDecider");
        assertEquals(2, cart.fold(cart.decide(0, add)));
    }

    @Test
    void kotlinSealedInterfacesAreReadFromTheMetadataSoDeciderTypesAreInferred() throws Exception {
        java.lang.reflect.ParameterizedType decider = (java.lang.reflect.ParameterizedType) loader
                .loadClass("shop.TallyDecider").getGenericInterfaces()[0];
        assertEquals(List.of("java.lang.Integer", "shop.CartCommand", "shop.CartEvent"),
                java.util.Arrays.stream(decider.getActualTypeArguments()).map(java.lang.reflect.Type::getTypeName)
                        .toList());
    }

    @Test
    void projectionEventTypesIncludeAliasesSoStoredOldNamesAreNotFilteredOut() throws Exception {
        ProjectionHandler items = (ProjectionHandler) construct("shop.ItemsHandlers",
                new Class<?>[] {loader.loadClass("shop.Items")}, create("shop.Items"));
        assertEquals(java.util.Set.of("shop.ItemAdded", "shop.ItemPut"), items.eventTypes());
    }
}
