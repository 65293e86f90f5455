package dev.eskit.tenancy;

import dev.eskit.StoredEvent;
import dev.eskit.command.CommandContext;
import java.util.Optional;

/**
 * Where tenants live in commands and in the shared store.
 *
 * <p>A command's tenant is the metadata extra {@value #METADATA_KEY} of its {@link CommandContext}. In the shared store,
 * a tenant's streams have the stream type {@code <tenant>::<type>} (see {@link TenantScopedEventStore}).
 */
public final class Tenancy {

    /** The metadata extra that carries the tenant id of a command (and of the events it stores). */
    public static final String METADATA_KEY = "eskit.tenant";
    /** What separates the tenant id from the stream type in the shared store. */
    public static final String SEPARATOR = "::";

    private Tenancy() {
    }

    /** {@code context} with its tenant set to {@code tenant}. */
    public static CommandContext withTenant(CommandContext context, TenantId tenant) {
        return context.withMetadata(context.metadata().with(METADATA_KEY, tenant.value()));
    }

    /**
     * The tenant of {@code context}, or empty when it has none.
     *
     * @throws InvalidTenantException when the context carries an invalid tenant id
     */
    public static Optional<TenantId> tenantOf(CommandContext context) {
        String value = context.metadata().extras().get(METADATA_KEY);
        return value == null ? Optional.empty() : Optional.of(TenantId.of(value));
    }

    /**
     * The tenant a stored event of the shared store belongs to, for code that reads the shared store across tenants
     * (operations, migrations); empty for an event outside any tenant.
     */
    public static Optional<TenantId> tenantOf(StoredEvent<?> event) {
        return tenantOfStreamType(event.streamType());
    }

    /**
     * Whether {@code storedName} has the shape of a name a tenant's view keeps in a shared store: one or more
     * characters other than {@code :}, then {@link #SEPARATOR} ({@code acme::c-1}). Stores outside any tenant (a
     * {@link NoTenantCommandQueueStore}) refuse such names and never claim, find or list them; the test is the same
     * in SQL, so it is deliberately looser than {@link TenantId}'s rules ({@code Order::1} counts too).
     */
    public static boolean hasTenantPrefix(String storedName) {
        int colon = storedName == null ? -1 : storedName.indexOf(':');
        return colon > 0 && storedName.startsWith(SEPARATOR, colon);
    }

    /** The tenant of a stream type as the shared store keeps it ({@code acme::account}); empty outside any tenant. */
    public static Optional<TenantId> tenantOfStreamType(String type) {
        int at = type.indexOf(SEPARATOR);
        if (at <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(TenantId.of(type.substring(0, at)));
        } catch (InvalidTenantException notATenant) {
            return Optional.empty();
        }
    }
}
