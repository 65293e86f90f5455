package dev.eskit.gdpr;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.AEADBadTagException;

/**
 * Seals snapshot bytes under the data keys of every subject whose personal data went into the state: one AES-GCM layer
 * per subject, so forgetting any one of them makes the snapshot unreadable. Layout: magic {@code ESKM}, 2-byte subject
 * count, per subject (2-byte length, UTF-8 key id, 4-byte key version, 12-byte key fingerprint), then the layered
 * ciphertext. Every layer's associated data binds the whole header and the state schema.
 */
final class SnapshotSealer {

    /** The most subjects one snapshot may be sealed under; a state folded from more is not snapshotted. */
    static final int MAX_SUBJECTS = 1000;

    private static final byte[] MAGIC = "ESKM".getBytes(StandardCharsets.US_ASCII);

    private final SubjectKeys keys;

    SnapshotSealer(SubjectKeys keys) {
        this.keys = keys;
    }

    /** A snapshot opened: the subjects it was sealed under and the state's bytes. */
    record Opened(Set<String> subjects, byte[] data) {
    }

    byte[] seal(Collection<String> subjectKeyIds, String schema, byte[] plain) {
        List<SubjectKeys.DataKey> layers = new ArrayList<>();
        for (String subject : new TreeSet<>(subjectKeyIds)) {
            layers.add(keys.forWrite(subject));
        }
        byte[] header = header(layers);
        byte[] aad = aad(header, schema);
        byte[] sealed = plain;
        for (SubjectKeys.DataKey key : layers) {
            sealed = Aes.encrypt(key.key(), sealed, aad);
        }
        return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
    }

    /**
     * Opens a snapshot made by {@link #seal}; empty when one of its subjects was forgotten (or its key made anew).
     *
     * @throws PersonalDataTamperedException when the bytes are not such a snapshot or were changed
     */
    Optional<Opened> open(String schema, byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new PersonalDataTamperedException("The snapshot is not sealed by eskit; it is ignored and"
                        + " replaced by the next one.", null);
            }
            int count = in.getShort() & 0xFFFF;
            List<String> subjects = new ArrayList<>(count);
            List<Integer> versions = new ArrayList<>(count);
            List<String> fingerprints = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] subject = new byte[in.getShort() & 0xFFFF];
                in.get(subject);
                subjects.add(new String(subject, StandardCharsets.UTF_8));
                versions.add(in.getInt());
                byte[] fingerprint = new byte[12];
                in.get(fingerprint);
                fingerprints.add(new String(fingerprint, StandardCharsets.US_ASCII));
            }
            byte[] header = Arrays.copyOf(data, in.position());
            byte[] aad = aad(header, schema);
            byte[] sealed = Arrays.copyOfRange(data, in.position(), data.length);
            for (int i = count - 1; i >= 0; i--) {
                Optional<SubjectKeys.DataKey> key = keys.forRead(subjects.get(i), versions.get(i));
                if (key.isEmpty() || !key.get().fingerprint().equals(fingerprints.get(i))) {
                    return Optional.empty();
                }
                sealed = Aes.decrypt(key.get().key(), sealed, aad);
            }
            return Optional.of(new Opened(new LinkedHashSet<>(subjects), sealed));
        } catch (BufferUnderflowException | AEADBadTagException | NegativeArraySizeException e) {
            throw new PersonalDataTamperedException("The sealed snapshot was changed or cut short (" + e
                    + "); it is ignored and replaced by the next one.", e);
        }
    }

    private static byte[] header(List<SubjectKeys.DataKey> layers) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeShort(layers.size());
            for (SubjectKeys.DataKey key : layers) {
                byte[] subject = key.subjectId().getBytes(StandardCharsets.UTF_8);
                out.writeShort(subject.length);
                out.write(subject);
                out.writeInt(key.version());
                out.write(key.fingerprint().getBytes(StandardCharsets.US_ASCII));
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
    }

    private static byte[] aad(byte[] header, String schema) {
        byte[] tail = ("\0eskit-snap2\0" + schema).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.length + tail.length).put(header).put(tail).array();
    }
}
