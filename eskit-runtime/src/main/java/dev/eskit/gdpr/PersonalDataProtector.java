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
    private final Map<String, PersonalDataRegistry> byType;
    private final dev.eskit.tenancy.TenantId tenant;
    private final SnapshotSealer sealer;
    /** The types of {@link #streamingCodec}: {@link #subjectsOf} reads events through their generated codecs. */
    private final EventTypes streamingTypes;
    private final java.util.Set<String> personalMetadata;

    private PersonalDataProtector(PersonalDataProtector shared, dev.eskit.tenancy.TenantId tenant,
            EventTypes streamingTypes, java.util.Set<String> personalMetadata) {
        this.keys = shared.keys;
        this.byType = shared.byType;
        this.sealer = shared.sealer;
        this.tenant = tenant;
        this.streamingTypes = streamingTypes;
        this.personalMetadata = personalMetadata;
    }

    private PersonalDataProtector(SubjectKeys keys, Collection<? extends PersonalDataRegistry> registries) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.byType = new HashMap<>();
        this.tenant = null;
        this.streamingTypes = null;
        this.sealer = new SnapshotSealer(keys);
        this.personalMetadata = java.util.Set.of();
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
     *
     * @throws InvalidInputException when the id contains {@code ::}, which outside tenants could name a tenant's
     *                               subject (use {@link #forget(dev.eskit.tenancy.TenantId, String)} for those)
     */
    public int forget(String subjectId) {
        return keys.forget(SubjectKeys.unscoped(subjectId));
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

    /**
     * {@code letter} as a store may keep it: for an event type with personal data, the failure message (which may
     * quote decrypted data) is replaced by the exception class and a note; other letters are returned as they are.
     * {@link #deadLetters} and the Jdbi dead-letter store of a protected event store apply it to every letter.
     */
    public dev.eskit.subscription.DeadLetter redact(dev.eskit.subscription.DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        return appliesTo(letter.eventType()) ? RedactingDeadLetterStore.redacted(letter) : letter;
    }

    /**
     * {@code store} with items that can carry personal data of a subject ({@link PersonalTodoStore#add(String, String,
     * String, String)}): sealed on add, opened for readers and workers, failure messages withheld. For a tenant's todo
     * view use the tenant's protector ({@link #forTenant}) so that the keys are the tenant's.
     */
    public PersonalTodoStore todos(dev.eskit.todo.TodoStore store) {
        return new PersonalTodoStore(store, this);
    }

    /**
     * A copy that treats the metadata extras named {@code keys} as personal data: wherever eskit writes metadata
     * (events through {@link #codec}, the command log, the command queue) their values are sealed ({@link #seal})
     * under the data subject the metadata names: the extra {@value PersonalMetadata#SUBJECT_KEY} when set, else the
     * initiator. Reads through the codec give the values back opened ({@code "[erased]"} once the subject is
     * forgotten). Metadata with such an extra but no subject is refused on write, before anything is written.
     *
     * <pre>{@code
     * PersonalDataProtector protector = PersonalDataProtector.discover(keys).personalMetadata("ip", "userAgent");
     * store.append(AppendRequest.of(stream, any(), events)
     *     .withMetadata(Metadata.empty().withInitiator("customer-42").with("ip", "203.0.113.9")));
     * }</pre>
     */
    public PersonalDataProtector personalMetadata(String... keys) {
        java.util.Set<String> all = new java.util.TreeSet<>(personalMetadata);
        for (String key : keys) {
            dev.eskit.Names.check("Personal metadata key", key);
            all.add(key);
        }
        return new PersonalDataProtector(this, tenant, streamingTypes, java.util.Set.copyOf(all));
    }

    /** The metadata extras treated as personal data ({@link #personalMetadata}). */
    public java.util.Set<String> personalMetadataKeys() {
        return personalMetadata;
    }

    /**
     * {@code metadata} with the values of the {@link #personalMetadata} extras sealed (values sealed already stay as
     * they are); {@code metadata} itself when there are none.
     *
     * @throws DataSubjectMissingException when such an extra is present but the metadata names no data subject
     */
    public dev.eskit.Metadata sealMetadata(dev.eskit.Metadata metadata) {
        return PersonalMetadata.seal(this, personalMetadata, tenant, metadata);
    }

    /** {@code metadata} with the {@link #personalMetadata} extras opened ({@link #open}). */
    public dev.eskit.Metadata openMetadata(dev.eskit.Metadata metadata) {
        return PersonalMetadata.open(this, personalMetadata, metadata);
    }

    @Override
    public dev.eskit.Metadata beforeWriteMetadata(dev.eskit.Metadata metadata) {
        return sealMetadata(metadata);
    }

    @Override
    public dev.eskit.Metadata afterReadMetadata(dev.eskit.Metadata metadata) {
        return openMetadata(metadata);
    }

    /**
     * The payload of command {@code commandType} as the command log and the command queue store it: its JSON
     * {@code json} with the {@code @PersonalData} fields encrypted like events' (bound to subject, key version, command
     * type and field, and to {@code commandId} when it is not null) under the keys of the tenant of {@code metadata}
     * ({@code eskit.tenant}) if it has one; the JSON as it is for commands without personal data. Runs without
     * jackson-databind (the generated registry's {@code JsonObject} methods).
     */
    public String protectCommand(String commandType, String commandId, byte[] json, dev.eskit.Metadata metadata) {
        return PersonalCommands.protect(this, byType.get(commandType), commandType, commandId, json,
                PersonalMetadata.tenantPrefix(tenant, metadata));
    }

    /**
     * {@link #protectCommand(String, String, byte[], dev.eskit.Metadata)} without a command id: the ciphertext is
     * not bound to a command, so it could be moved to another command of the same type and subject unnoticed.
     *
     * @deprecated pass the command id
     */
    @Deprecated
    public String protectCommand(String commandType, byte[] json, dev.eskit.Metadata metadata) {
        return protectCommand(commandType, null, json, metadata);
    }

    /**
     * A stored command payload ({@link #protectCommand}) readable: decrypted, placeholders where forgotten.
     * {@code commandId} is the id it was protected with (payloads stored unbound read with any id).
     */
    public String readableCommand(String commandType, String commandId, String stored) {
        return PersonalCommands.readable(keys, byType.get(commandType), commandType, commandId, stored, false);
    }

    /**
     * {@link #readableCommand(String, String, String)} of a payload stored without a command id.
     *
     * @deprecated pass the command id; a payload bound to one fails as tampered without it
     */
    @Deprecated
    public String readableCommand(String commandType, String stored) {
        return readableCommand(commandType, null, stored);
    }

    /**
     * A stored command payload ({@link #protectCommand}) decrypted for running it; {@code commandId} is the id it was
     * protected with.
     *
     * @throws dev.eskit.command.CommandDecodingException when a subject of the command was forgotten after it was
     *                                                    stored: it must not run on placeholders
     * @throws PersonalDataTamperedException              when a personal field was changed or moved from another
     *                                                    command
     */
    public byte[] openCommand(String commandType, String commandId, String stored) {
        return PersonalCommands.readable(keys, byType.get(commandType), commandType, commandId, stored, true)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@link #openCommand(String, String, String)} of a payload stored without a command id.
     *
     * @deprecated pass the command id; a payload bound to one fails as tampered without it
     */
    @Deprecated
    public byte[] openCommand(String commandType, String stored) {
        return openCommand(commandType, null, stored);
    }

    /**
     * A failure message as the command log and queue may keep it for a command of {@code commandType}: only the
     * exception class (the text before the first {@code :}) and a note, for every command once this protector knows
     * any type with personal data. The message may quote the command's personal data, and also the decider's state,
     * which a command without personal data of its own may have folded from events that carry some (a rejection
     * saying "no refund for ada@example.com"); nothing tells which, so no message is kept where either could be. With
     * no personal types at all, {@code error} as it is. The exception the caller gets keeps its whole message.
     */
    public String redactCommandError(String commandType, String error) {
        if (error == null || byType.isEmpty()) {
            return error;
        }
        int colon = error.indexOf(':');
        return (colon < 0 ? error : error.substring(0, colon)) + (appliesTo(commandType)
                ? " (message withheld: the command carries personal data)"
                : " (message withheld: it may quote personal data of the decider's state)");
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

    @Override
    public void beforeWrite(String eventType, dev.eskit.codec.JsonObject data, EventContext where) {
        byType.get(eventType).encrypt(eventType, data, new JsonObjectCipher(keys, eventType, where));
    }

    @Override
    public void afterRead(String eventType, dev.eskit.codec.JsonObject data, EventContext where) {
        byType.get(eventType).decrypt(eventType, data, new JsonObjectCipher(keys, eventType, where));
    }

    /**
     * The codec over {@code types} with this protector applied, without jackson-databind: {@link
     * dev.eskit.codec.StreamingEventCodec} in JSON. Same envelopes as {@link #codec}, so either reads what the
     * other wrote.
     */
    public dev.eskit.codec.StreamingEventCodec streamingCodec(EventTypes types) {
        return dev.eskit.codec.StreamingEventCodec.json(types)
                .withTransform(new PersonalDataProtector(this, tenant, Objects.requireNonNull(types, "types"),
                        personalMetadata));
    }

    /**
     * This protector as a tenant's view sees it: the subjects {@link #subjectsOf} names are kept under the tenant's
     * key ids ({@code <tenant>::<subject>}), like the personal fields of the tenant's events.
     */
    public PersonalDataProtector forTenant(dev.eskit.tenancy.TenantId value) {
        Objects.requireNonNull(value, "tenant");
        if (tenant != null && !tenant.equals(value)) {
            throw new dev.eskit.tenancy.InvalidTenantException("A protector of tenant \"" + tenant + "\" was asked for"
                    + " tenant \"" + value + "\". Scope the shared protector instead.");
        }
        return new PersonalDataProtector(this, value, streamingTypes, personalMetadata);
    }

    /**
     * The key ids of the data subjects whose personal data {@code event} holds (empty for types without personal
     * data): what a snapshot folded from the event must be sealed under. Reads the subject components the generated
     * code names, through eskit's default JSON mapper.
     */
    public java.util.Set<String> subjectsOf(dev.eskit.StoredEvent<?> event) {
        Objects.requireNonNull(event, "event");
        PersonalDataRegistry registry = byType.get(event.eventType());
        if (registry == null || event.data() == null) {
            return java.util.Set.of();
        }
        dev.eskit.StreamRef stream = tenant == null ? event.stream()
                : dev.eskit.tenancy.TenantScope.of(tenant).stream(event.stream());
        java.util.Set<String> found = new java.util.TreeSet<>();
        dev.eskit.codec.JsonObject generated = streamingTypes == null ? null
                : StreamingSubjects.tree(streamingTypes, event.data());
        if (generated != null) {
            // Without databind: the event as its generated codec writes it.
            registry.encrypt(event.eventType(), generated, new JsonObjectCipher(keys, event.eventType(),
                    dev.eskit.codec.EventContext.writing(event.id(), stream), found));
            return found;
        }
        ObjectNode tree = JsonEventCodec.defaultMapper().valueToTree(event.data());
        registry.encrypt(event.eventType(), tree, new FieldCipher(keys, event.eventType(),
                dev.eskit.codec.EventContext.writing(event.id(), stream), found));
        return found;
    }

    /**
     * Seals snapshot bytes under the keys of {@code subjectKeyIds} (as {@link #subjectsOf} names them): one AES-GCM
     * layer per subject, so that forgetting any of them shreds the snapshot. Command handlers call it for every
     * snapshot of a state folded from personal data.
     *
     * @throws dev.eskit.InvalidInputException when there are no subjects or more than 1,000
     */
    public byte[] sealSnapshot(java.util.Collection<String> subjectKeyIds, String schema, byte[] state) {
        if (subjectKeyIds.isEmpty() || subjectKeyIds.size() > SnapshotSealer.MAX_SUBJECTS) {
            throw new InvalidInputException("A sealed snapshot needs 1 to " + SnapshotSealer.MAX_SUBJECTS
                    + " data subjects, not " + subjectKeyIds.size() + ". Snapshot streams with fewer subjects.");
        }
        return sealer.seal(subjectKeyIds, schema, state);
    }

    private static final String SEALED_TEXT = "eskit:pd:";

    /**
     * {@code text} encrypted under {@code subjectId}'s key, as a string to keep where eskit cannot know that a value is
     * personal: a metadata extra, a todo item's payload. {@link #open} reads it back; after {@link #forget} it reads as
     * {@link FieldCipher#ERASED}. Layout: {@code eskit:pd:} and the base64 of the key id, key version, fingerprint,
     * nonce, ciphertext and tag; the associated data binds key id and version.
     *
     * <pre>{@code
     * Metadata metadata = Metadata.empty().with("ip", protector.seal("customer-42", request.remoteAddress()));
     * todos.add("mail", "welcome-42", protector.seal("customer-42", email));
     * String ip = protector.open(stored.metadata().extras().get("ip"));   // "[erased]" once forgotten
     * }</pre>
     */
    public String seal(String subjectId, String text) {
        SubjectKeys.checkSubject(subjectId);
        Objects.requireNonNull(text, "text");
        String keyId = tenant == null ? SubjectKeys.unscoped(subjectId)
                : dev.eskit.tenancy.TenantScope.of(tenant).name("Data subject id", subjectId);
        return sealUnder(keyId, text);
    }

    String sealUnder(String keyId, String text) {
        SubjectKeys.DataKey key = keys.forWrite(keyId);
        byte[] id = keyId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] fingerprint = key.fingerprint().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sealed = Aes.encrypt(key.key(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                textAad(keyId, key.version()));
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(2 + id.length + 4 + 12 + sealed.length);
        out.putShort((short) id.length).put(id).putInt(key.version()).put(fingerprint).put(sealed);
        return SEALED_TEXT + java.util.Base64.getEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * The text {@link #seal} sealed, or {@link FieldCipher#ERASED} when its subject was forgotten; text that is not
     * sealed (no {@code eskit:pd:} prefix) is returned as it is, {@code null} as {@code null}.
     *
     * @throws PersonalDataTamperedException when the sealed text was changed
     */
    public String open(String text) {
        if (text == null || !text.startsWith(SEALED_TEXT)) {
            return text;
        }
        try {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder()
                    .decode(text.substring(SEALED_TEXT.length())));
            byte[] id = new byte[in.getShort() & 0xFFFF];
            in.get(id);
            String keyId = new String(id, java.nio.charset.StandardCharsets.UTF_8);
            int version = in.getInt();
            byte[] fingerprint = new byte[12];
            in.get(fingerprint);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            java.util.Optional<SubjectKeys.DataKey> key = keys.forRead(keyId, version);
            if (key.isEmpty() || !key.get().fingerprint().equals(
                    new String(fingerprint, java.nio.charset.StandardCharsets.US_ASCII))) {
                return FieldCipher.ERASED;
            }
            return new String(Aes.decrypt(key.get().key(), sealed, textAad(keyId, version)),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | javax.crypto.AEADBadTagException e) {
            throw new PersonalDataTamperedException("Sealed personal text " + dev.eskit.Limits.abbreviate(text)
                    + " was changed or cut short (" + e + "). Restore it from a backup.", e);
        }
    }

    /**
     * A failure message as a todo store may keep it for an item with {@code payload}: when the payload holds sealed
     * personal text ({@link #seal}), the message (which may quote the opened text) is cut to the exception class and
     * a note; otherwise it is returned as it is. The Jdbi todo store applies it to every failure.
     */
    public static String redactTodoError(String payload, String error) {
        if (error == null || payload == null || !payload.contains(SEALED_TEXT)) {
            return error;
        }
        int colon = error.indexOf(':');
        return (colon < 0 ? error : error.substring(0, colon))
                + " (message withheld: the item's payload carries sealed personal data)";
    }

    private static byte[] textAad(String keyId, int version) {
        return ("eskit-pdt\0" + keyId + "\0" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A snapshot opened by {@link #openSnapshot}: the subjects it was sealed under and the state's bytes. */
    public record OpenedSnapshot(java.util.Set<String> subjects, byte[] state) {
    }

    /**
     * Opens a snapshot {@link #sealSnapshot} made; empty when one of its subjects was forgotten.
     *
     * @throws PersonalDataTamperedException when the bytes are not a sealed snapshot or were changed
     */
    public java.util.Optional<OpenedSnapshot> openSnapshot(String schema, byte[] data) {
        return sealer.open(schema, data).map(opened -> new OpenedSnapshot(opened.subjects(), opened.data()));
    }

    /** Whether {@code codec} already encrypts snapshots itself ({@link #snapshots}): it then needs no sealing. */
    public static boolean encrypts(dev.eskit.snapshot.StateCodec<?> codec) {
        return codec instanceof EncryptedStateCodec<?>;
    }
}
