package dev.eskit.tenancy;

import dev.eskit.EventStore;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.command.StateCacheStats;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends each command to its tenant: the tenant comes from the command's context ({@link Tenancy#withTenant}), and the
 * command runs on a {@link CommandBus} over that tenant's {@link TenantScopedEventStore}. Buses are built on first use
 * per tenant by your factory, so routes and middleware are the same for every tenant.
 *
 * <pre>{@code
 * TenantCommandBus bus = TenantCommandBus.create(shared, store -> CommandBus.builder(store)
 *     .register(AccountDecider.routes()).build());
 * bus.send(new Deposit("a-1", 500), Tenancy.withTenant(CommandContext.create(), TenantId.of("acme")));
 * }</pre>
 */
public final class TenantCommandBus {

    private final EventStore shared;
    private final Function<EventStore, CommandBus> factory;
    private final Map<TenantId, CommandBus> buses = new ConcurrentHashMap<>();

    private TenantCommandBus(EventStore shared, Function<EventStore, CommandBus> factory) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A bus over {@code shared} that builds each tenant's bus with {@code factory}. */
    public static TenantCommandBus create(EventStore shared, Function<EventStore, CommandBus> factory) {
        return new TenantCommandBus(shared, factory);
    }

    /**
     * Sends {@code command} to the tenant named in {@code context}.
     *
     * @throws MissingTenantException when the context names no tenant; nothing runs
     * @throws InvalidTenantException when it names an invalid one; nothing runs
     */
    public CommandResult<?, ?> send(Object command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        TenantId tenant = Tenancy.tenantOf(Objects.requireNonNull(context, "context")).orElseThrow(() ->
                new MissingTenantException("Command " + command.getClass().getName() + " has no tenant. Send it"
                        + " with Tenancy.withTenant(context, TenantId.of(\"...\")), or use a plain CommandBus for"
                        + " data that belongs to no tenant."));
        return forTenant(tenant).send(command, context);
    }

    /**
     * The state caches of every tenant's bus built so far, added up by stream type ({@link CommandBus#stateCaches()}):
     * each tenant's handlers keep their own cache, so the bound ({@code maxStreams}) and the memory grow with the
     * tenants in use. One tenant's figures: {@code forTenant(tenant).stateCaches()}.
     */
    public SortedMap<String, StateCacheStats> stateCaches() {
        SortedMap<String, StateCacheStats> caches = new TreeMap<>();
        for (CommandBus bus : buses.values()) {
            bus.stateCaches().forEach((type, stats) -> caches.merge(type, stats, StateCacheStats::plus));
        }
        return caches;
    }

    /** The bus of {@code tenant} (built on first use). */
    public CommandBus forTenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return buses.computeIfAbsent(tenant, t -> factory.apply(TenantScopedEventStore.of(shared, t)));
    }
}
