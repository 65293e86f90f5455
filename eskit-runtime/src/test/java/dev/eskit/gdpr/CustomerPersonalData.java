package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** Hand-written the way the processor generates it, for the runtime tests. */
final class CustomerPersonalData implements PersonalDataRegistry {

    record Registered(String customerId, String email, Integer age, String plan) {
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("crm.Registered");
    }

    @Override
    public void encrypt(String eventType, ObjectNode data, FieldCipher cipher) {
        if (eventType.equals("crm.Registered")) {
            String subject = FieldCipher.subject(data, "customerId", eventType);
            cipher.encrypt(data, "email", subject);
            cipher.encrypt(data, "age", subject);
        }
    }

    @Override
    public void decrypt(String eventType, ObjectNode data, FieldCipher cipher) {
        if (eventType.equals("crm.Registered")) {
            cipher.decrypt(data, "email", FieldCipher.ERASED_TEXT);
            cipher.decrypt(data, "age", FieldCipher.ERASED_NULL);
        }
    }
}
