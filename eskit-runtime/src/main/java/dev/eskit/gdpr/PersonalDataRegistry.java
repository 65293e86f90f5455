package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The field-level encryption code of one package's {@code @PersonalData} events. The annotation processor generates
 * one per package ({@code BankPersonalData} for {@code com.acme.bank}) and lists it in
 * {@code META-INF/services/dev.eskit.gdpr.PersonalDataRegistry}; {@link PersonalDataProtector#discover} finds it.
 */
public interface PersonalDataRegistry {

    /** The wire names of the events with personal data. */
    Set<String> eventTypes();

    /** Encrypts the personal fields of {@code data}, an event of type {@code eventType}, in place. */
    void encrypt(String eventType, ObjectNode data, FieldCipher cipher);

    /** Decrypts the personal fields of {@code data} in place; forgotten ones become placeholders. */
    void decrypt(String eventType, ObjectNode data, FieldCipher cipher);
}
