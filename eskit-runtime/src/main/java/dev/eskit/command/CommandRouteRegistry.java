package dev.eskit.command;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A source of command routes. The annotation processor generates one per {@code @Decider} ({@code AccountDecider_Routes}
 * next to {@code AccountDecider}) and lists it in {@code META-INF/services/dev.eskit.command.CommandRouteRegistry}, so
 * that a framework integration (the Spring Boot starter) can register every generated route without scanning classes.
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.builder(store).register(CommandRouteRegistry.discover()).build();
 * }</pre>
 */
@FunctionalInterface
public interface CommandRouteRegistry {

    /** The routes this registry contributes. */
    List<CommandRoute<?, ?, ?>> routes();

    /** Every route of every registry listed under {@code META-INF/services} that the context class loader sees. */
    static List<CommandRoute<?, ?, ?>> discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /** Every route of every registry that {@code loader} can see through {@link ServiceLoader}. */
    static List<CommandRoute<?, ?, ?>> discover(ClassLoader loader) {
        List<CommandRoute<?, ?, ?>> routes = new ArrayList<>();
        for (CommandRouteRegistry registry : ServiceLoader.load(CommandRouteRegistry.class, loader)) {
            routes.addAll(registry.routes());
        }
        return List.copyOf(routes);
    }
}
