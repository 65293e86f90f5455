package dev.eskit.gdpr;

import dev.eskit.InvalidInputException;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key: 256 AES bits that wrap every data key, with an id stored beside each wrapped key. Load it from
 * a KMS, an HSM or a secret manager; never store it next to the data.
 *
 * @param id  a short stable name, such as {@code "2026-11"}
 * @param key the AES-256 key
 */
public record MasterKey(String id, SecretKey key) {

    /** Validates the key. */
    public MasterKey {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new InvalidInputException("Master key id " + (id == null ? "null" : "\"" + id + "\"")
                    + " is empty or longer than 64 characters. Use a short stable name such as \"2026-11\".");
        }
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || encoded == null || encoded.length != 32) {
            throw new InvalidInputException("Master key \"" + id + "\" must be a 256-bit AES key, but is "
                    + key.getAlgorithm() + " of " + (encoded == null ? "unknown" : encoded.length * 8)
                    + " bits. Generate one with KeyGenerator.getInstance(\"AES\").init(256).");
        }
    }

    /** A master key from 32 raw bytes. */
    public static MasterKey of(String id, byte[] aes256) {
        if (aes256 == null || aes256.length != 32) {
            throw new InvalidInputException("Master key \"" + id + "\" must be 32 bytes (AES-256), got "
                    + (aes256 == null ? "null" : aes256.length + " bytes") + ".");
        }
        return new MasterKey(id, new SecretKeySpec(aes256, "AES"));
    }

    /** A fresh random master key, for tests and first set-up. */
    public static MasterKey generate(String id) {
        return new MasterKey(id, Aes.newKey());
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
