package dev.eskit.gdpr;

import dev.eskit.Metadata;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Sealing and opening of the metadata extras a protector treats as personal ({@code personalMetadata}). */
public final class PersonalMetadata {

    /** The metadata extra that names the data subject of the personal extras (else the initiator does). */
    public static final String SUBJECT_KEY = "eskit.subject";

    private static final String SEALED = "eskit:pd:";

    private PersonalMetadata() {
    }

    /** The tenant prefix subjects are kept under: the protector's tenant, else the metadata's, else none. */
    static String tenantPrefix(TenantId tenant, Metadata metadata) {
        if (tenant != null) {
            return tenant.value() + Tenancy.SEPARATOR;
        }
        String value = metadata == null ? null : metadata.extras().get(Tenancy.METADATA_KEY);
        if (value == null) {
            return null;
        }
        try {
            return TenantId.of(value).value() + Tenancy.SEPARATOR;
        } catch (InvalidTenantException e) {
            throw new InvalidTenantException("Metadata extra \"" + Tenancy.METADATA_KEY + "\" holds " + value
                    + ", which is not a tenant id, so the keys of its personal data cannot be chosen. Set it with"
                    + " Tenancy.withTenant(...) or leave it out.");
        }
    }

    static Metadata seal(PersonalDataProtector protector, Set<String> personal, TenantId tenant, Metadata metadata) {
        if (personal.isEmpty() || metadata == null || metadata.extras().isEmpty()) {
            return metadata;
        }
        Map<String, String> extras = null;
        for (Map.Entry<String, String> entry : metadata.extras().entrySet()) {
            if (!personal.contains(entry.getKey()) || entry.getValue().startsWith(SEALED)) {
                continue;
            }
            if (extras == null) {
                extras = new LinkedHashMap<>(metadata.extras());
            }
            String subject = metadata.extras().getOrDefault(SUBJECT_KEY, metadata.initiator());
            if (subject == null || subject.isEmpty()) {
                throw new DataSubjectMissingException("Metadata extra \"" + entry.getKey() + "\" is personal data"
                        + " (protector.personalMetadata) but the metadata names no data subject to encrypt it for."
                        + " Set the extra \"" + SUBJECT_KEY + "\" or the initiator to the id of the person it belongs"
                        + " to. Nothing was written.");
            }
            SubjectKeys.checkSubject(subject);
            String prefix = tenantPrefix(tenant, metadata);
            String keyId = prefix == null ? SubjectKeys.unscoped(subject) : prefix + subject;
            extras.put(entry.getKey(), protector.sealUnder(keyId, entry.getValue()));
        }
        return extras == null ? metadata : new Metadata(metadata.correlationId(), metadata.causationId(),
                metadata.initiator(), metadata.originator(), extras);
    }

    static Metadata open(PersonalDataProtector protector, Set<String> personal, Metadata metadata) {
        if (personal.isEmpty() || metadata == null || metadata.extras().isEmpty()) {
            return metadata;
        }
        Map<String, String> extras = null;
        for (Map.Entry<String, String> entry : metadata.extras().entrySet()) {
            if (!personal.contains(entry.getKey()) || !entry.getValue().startsWith(SEALED)) {
                continue;
            }
            if (extras == null) {
                extras = new LinkedHashMap<>(metadata.extras());
            }
            extras.put(entry.getKey(), protector.open(entry.getValue()));
        }
        return extras == null ? metadata : new Metadata(metadata.correlationId(), metadata.causationId(),
                metadata.initiator(), metadata.originator(), extras);
    }
}
