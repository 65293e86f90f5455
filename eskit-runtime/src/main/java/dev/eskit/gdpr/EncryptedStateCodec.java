package dev.eskit.gdpr;

import dev.eskit.snapshot.StateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;

/**
 * Snapshots encrypted under their data subject's key (see {@link PersonalDataProtector#snapshots}). Layout: magic
 * {@code ESKS}, 2-byte subject length, subject (UTF-8), 4-byte key version, 12-byte key fingerprint (ASCII), then
 * nonce, ciphertext and tag; the associated data binds subject, version and schema.
 */
final class EncryptedStateCodec<S> implements StateCodec<S> {

    private static final byte[] MAGIC = "ESKS".getBytes(StandardCharsets.US_ASCII);

    private final SubjectKeys keys;
    private final StateCodec<S> codec;
    private final Function<S, String> subjectOf;

    EncryptedStateCodec(SubjectKeys keys, StateCodec<S> codec, Function<S, String> subjectOf) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.subjectOf = Objects.requireNonNull(subjectOf, "subjectOf");
    }

    @Override
    public String schema() {
        return codec.schema() + "+pd";
    }

    @Override
    public byte[] encode(S state) {
        String subject = subjectOf.apply(state);
        SubjectKeys.DataKey key = keys.forWrite(subject);
        byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
        byte[] fingerprint = key.fingerprint().getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Aes.encrypt(key.key(), codec.encode(state), aad(subject, key.version()));
        return ByteBuffer.allocate(MAGIC.length + 2 + subjectBytes.length + 4 + fingerprint.length + sealed.length)
                .put(MAGIC).putShort((short) subjectBytes.length).put(subjectBytes).putInt(key.version())
                .put(fingerprint).put(sealed).array();
    }

    /**
     * Decrypts a snapshot.
     *
     * @throws PersonalDataTamperedException when it is not one of these snapshots, its subject was forgotten, or it
     *                                       was changed; command handlers then fold from the first event instead
     */
    @Override
    public S decode(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new PersonalDataTamperedException("The snapshot is not encrypted by eskit. Delete it; the next"
                        + " command writes a new one.", null);
            }
            byte[] subjectBytes = new byte[in.getShort() & 0xFFFF];
            in.get(subjectBytes);
            String subject = new String(subjectBytes, StandardCharsets.UTF_8);
            int version = in.getInt();
            byte[] fingerprint = new byte[12];
            in.get(fingerprint);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Optional<SubjectKeys.DataKey> key = keys.forRead(subject, version);
            if (key.isEmpty() || !key.get().fingerprint().equals(new String(fingerprint, StandardCharsets.US_ASCII))) {
                throw new PersonalDataTamperedException("The snapshot's data subject \"" + subject + "\" was"
                        + " forgotten; the stream is folded from its first event instead.", null);
            }
            return codec.decode(Aes.decrypt(key.get().key(), sealed, aad(subject, version)));
        } catch (java.nio.BufferUnderflowException | AEADBadTagException e) {
            throw new PersonalDataTamperedException("The encrypted snapshot was changed or cut short (" + e
                    + "). Delete it; the next command writes a new one.", e);
        }
    }

    private byte[] aad(String subject, int version) {
        return ("eskit-snap\0" + subject + "\0" + version + "\0" + codec.schema()).getBytes(StandardCharsets.UTF_8);
    }
}
