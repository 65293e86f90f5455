package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.InvalidInputException;
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

    /** Forgets a subject: see {@link SubjectKeys#forget(String)}. */
    public int forget(String subjectId) {
        return keys.forget(subjectId);
    }

    @Override
    public boolean appliesTo(String eventType) {
        return byType.containsKey(eventType);
    }

    @Override
    public void beforeWrite(String eventType, ObjectNode data) {
        byType.get(eventType).encrypt(eventType, data, new FieldCipher(keys));
    }

    @Override
    public void afterRead(String eventType, ObjectNode data) {
        byType.get(eventType).decrypt(eventType, data, new FieldCipher(keys));
    }
}
