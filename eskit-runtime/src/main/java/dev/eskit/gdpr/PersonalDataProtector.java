package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.InvalidInputException;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.EventDataTransform;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Applies the generated {@link PersonalDataRegistry} code in the JSON codec: {@code @PersonalData} fields are
 * encrypted on write and decrypted on read, with the keys of {@link SubjectKeys}.
 *
 * <pre>{@code
 * SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi), masterKey);
 * PersonalDataProtector protector = PersonalDataProtector.discover(keys);
 * JdbiEventStore store = JdbiEventStore.sqlite(url, protector.codec(EventTypes.discover()));
 * ...
 * protector.forget("customer-42");
 * }</pre>
 *
 * <p>Only stores that encode events (SQLite, PostgreSQL) store ciphertext; the in-memory store keeps event objects as
 * they are.
 */
public final class PersonalDataProtector implements EventDataTransform {

    private final SubjectKeys keys;
    private final Map<String, PersonalDataRegistry> byType = new HashMap<>();

    private PersonalDataProtector(SubjectKeys keys, Collection<? extends PersonalDataRegistry> registries) {
        this.keys = Objects.requireNonNull(keys, "keys");
        for (PersonalDataRegistry registry : registries) {
            for (String type : registry.eventTypes()) {
                PersonalDataRegistry previous = byType.putIfAbsent(type, registry);
                if (previous != null && previous != registry) {
                    throw new InvalidInputException("Event type \"" + type + "\" has personal data code in both "
                            + previous.getClass().getName() + " and " + registry.getClass().getName()
                            + ". Keep one @Event record per wire name on the class path.");
                }
            }
        }
    }

    /** A protector for the events of {@code registries}. */
    public static PersonalDataProtector create(SubjectKeys keys, Collection<? extends PersonalDataRegistry> registries) {
        return new PersonalDataProtector(keys, List.copyOf(registries));
    }

    /** A protector for the events of {@code registries}. */
    public static PersonalDataProtector create(SubjectKeys keys, PersonalDataRegistry... registries) {
        return create(keys, List.of(registries));
    }

    /** A protector for every generated registry listed in {@code META-INF/services} on the class path. */
    public static PersonalDataProtector discover(SubjectKeys keys) {
        return create(keys, ServiceLoader.load(PersonalDataRegistry.class).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** The JSON codec over {@code types} with this protector applied. */
    public JsonEventCodec codec(EventTypes types) {
        return JsonEventCodec.create(types).withTransform(this);
    }

    /** The keys. */
    public SubjectKeys keys() {
        return keys;
    }

    /**
     * Forgets a subject of streams outside any tenant: see {@link SubjectKeys#forget(String)}. Its personal data reads
     * as placeholders from now on; if the id is used again later, it gets a fresh key, and the data written before
     * the forget keeps reading as placeholders.
     */
    public int forget(String subjectId) {
        return keys.forget(subjectId);
    }

    /**
     * Forgets a subject of {@code tenant}'s streams (personal data on a tenant's stream is encrypted under a key of
     * {@code <tenant>::<subject>}, so tenants never share a subject's keys).
     */
    public int forget(dev.eskit.tenancy.TenantId tenant, String subjectId) {
        SubjectKeys.checkSubject(subjectId);
        return keys.forget(dev.eskit.tenancy.TenantScope.of(tenant).name("Data subject id", subjectId));
    }

    /**
     * {@code codec} with every snapshot encrypted under the key of the data subject {@code subjectOf} names for the
     * state, so that forgetting the subject shreds its snapshots too: a command handler then cannot read the snapshot,
     * folds the stream from its first event (personal data as placeholders) and saves a new snapshot. Use it for
     * every state that holds personal data.
     *
     * <pre>{@code
     * builder.snapshots(store.snapshots(), protector.snapshots(StateCodec.json(Customer.class), Customer::id), 100)
     * }</pre>
     */
    public <S> dev.eskit.snapshot.StateCodec<S> snapshots(dev.eskit.snapshot.StateCodec<S> codec,
                                                         java.util.function.Function<S, String> subjectOf) {
        return new EncryptedStateCodec<>(keys, codec, subjectOf);
    }

    /**
     * {@code store} that never keeps a failure message for an event with personal data: the handler's exception
     * message may quote decrypted data (a handler that throws with the event in its message), and a dead letter
     * outlives a forget. Such letters keep the exception class and a note; the message goes to the application's log
     * only if the handler logs it.
     */
    public dev.eskit.subscription.DeadLetterStore deadLetters(dev.eskit.subscription.DeadLetterStore store) {
        return new RedactingDeadLetterStore(store, this::appliesTo);
    }

    @Override
    public boolean appliesTo(String eventType) {
        return byType.containsKey(eventType);
    }

    @Override
    public void beforeWrite(String eventType, ObjectNode data) {
        byType.get(eventType).encrypt(eventType, data, new FieldCipher(keys, eventType, null));
    }

    @Override
    public void afterRead(String eventType, ObjectNode data) {
        byType.get(eventType).decrypt(eventType, data, new FieldCipher(keys, eventType, null));
    }

    @Override
    public void beforeWrite(String eventType, ObjectNode data, EventContext where) {
        byType.get(eventType).encrypt(eventType, data, new FieldCipher(keys, eventType, where));
    }

    @Override
    public void afterRead(String eventType, ObjectNode data, EventContext where) {
        byType.get(eventType).decrypt(eventType, data, new FieldCipher(keys, eventType, where));
    }
}
