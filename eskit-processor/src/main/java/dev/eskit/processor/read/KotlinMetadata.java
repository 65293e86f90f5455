package dev.eskit.processor.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Reads the one fact about a Kotlin class that kapt's Java stubs lose and the processor needs: whether it is
 * {@code sealed}, and its sealed subclasses.
 *
 * <p>kotlinc writes {@code @kotlin.Metadata} on every class, and kapt copies it onto the stubs. For a class
 * ({@code k = 1}), {@code d1} holds a protobuf {@code ProtoBuf.Class} message (after a length-delimited
 * {@code JvmProtoBuf.StringTableTypes} message) encoded as a string, and {@code d2} the strings it refers to. This
 * class decodes just enough of that format, without Kotlin's metadata library: the class flags (modality
 * {@code SEALED}) and the field {@code sealed_subclass_fq_name}, whose names it resolves through the string table.
 * Anything it does not understand (an older 7-bit encoding, a malformed message, a name it cannot resolve) makes it
 * answer "not known to be sealed", which leaves the processor's rules for open types in force.
 */
final class KotlinMetadata {

    /** Marks {@code d1} strings whose characters are the bytes themselves (what kotlinc writes since Kotlin 1.x). */
    private static final char UTF8_MODE_MARKER = '\u0000';
    /** {@code ProtoBuf.Class} flags: modality is 2 bits after has-annotations (1 bit) and visibility (3 bits). */
    private static final int MODALITY_SHIFT = 4;
    private static final int MODALITY_SEALED = 3;
    /** {@code ProtoBuf.Class} flags: is-data is the bit after kind (3 bits) and is-inner (1 bit). */
    private static final int IS_DATA_BIT = 10;
    private static final int CLASS_FLAGS = 1;
    private static final int CLASS_SEALED_SUBCLASSES = 16;
    /** Kotlin's predefined strings start with these; a sealed subclass is never one of them. */
    private static final int OPERATION_INTERNAL_TO_CLASS_ID = 1;
    private static final int OPERATION_DESC_TO_CLASS_ID = 2;

    private KotlinMetadata() {
    }

    /**
     * The qualified (canonical) names of the sealed subclasses of {@code type} when its Kotlin metadata says it is
     * sealed; null when it is not a Kotlin class, not sealed, or the metadata cannot be read.
     */
    static List<String> sealedSubclasses(TypeElement type) {
        AnnotationMirror metadata = metadata(type);
        if (metadata == null) {
            return null;
        }
        try {
            Decoded decoded = decode(metadata);
            return decoded == null ? null : decoded.sealedSubclasses();
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /**
     * Whether {@code type} is a Kotlin {@code data class} by its metadata: then its {@code componentN()} functions are
     * the compiler's own (a data class cannot declare them), each returning its primary constructor's N-th property.
     * False when it is not a Kotlin class or the metadata cannot be read.
     */
    static boolean isDataClass(TypeElement type) {
        AnnotationMirror metadata = metadata(type);
        if (metadata == null) {
            return false;
        }
        try {
            Decoded decoded = decode(metadata);
            return decoded != null && ((decoded.flags >>> IS_DATA_BIT) & 1) == 1;
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** The {@code @kotlin.Metadata} annotation of {@code type}, or {@code null}. */
    private static AnnotationMirror metadata(TypeElement type) {
        AnnotationMirror metadata = null;
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(ValueTypes.KOTLIN_METADATA)) {
                metadata = mirror;
            }
        }
        return metadata;
    }

    /** A class's metadata as far as it is read: its flags and its sealed subclasses' string indexes. */
    private record Decoded(int flags, List<Integer> sealed, List<int[]> records, List<String> recordStrings,
                           List<String> d2) {

        /** The sealed subclasses' canonical names when the class is sealed, else {@code null}. */
        List<String> sealedSubclasses() {
            if (((flags >>> MODALITY_SHIFT) & 3) != MODALITY_SEALED) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (int index : sealed) {
                String name = className(index, records, recordStrings, d2);
                if (name == null) {
                    return null;
                }
                names.add(name);
            }
            return names;
        }
    }

    /** Reads a class's metadata ({@code k = 1}); {@code null} for another kind or an encoding it does not read. */
    private static Decoded decode(AnnotationMirror metadata) {
        int kind = 1;
        List<String> d1 = List.of();
        List<String> d2 = List.of();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : metadata.getElementValues().entrySet()) {
            String name = entry.getKey().getSimpleName().toString();
            Object value = entry.getValue().getValue();
            switch (name) {
                case "k" -> kind = (Integer) value;
                case "d1" -> d1 = strings(value);
                case "d2" -> d2 = strings(value);
                default -> {
                }
            }
        }
        if (kind != 1 || d1.isEmpty() || d1.get(0).isEmpty() || d1.get(0).charAt(0) != UTF8_MODE_MARKER) {
            return null;
        }
        StringBuilder joined = new StringBuilder();
        d1.forEach(joined::append);
        byte[] bytes = new byte[joined.length() - 1];
        for (int i = 1; i < joined.length(); i++) {
            bytes[i - 1] = (byte) joined.charAt(i);
        }
        Reader in = new Reader(bytes, 0, bytes.length);
        int tableLength = in.varint();
        List<int[]> records = new ArrayList<>();
        List<String> recordStrings = new ArrayList<>();
        readStringTable(new Reader(bytes, in.position, in.position + tableLength), records, recordStrings);
        in.position += tableLength;

        int flags = 6; // the proto's default
        List<Integer> sealed = new ArrayList<>();
        while (!in.done()) {
            int tag = in.varint();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == CLASS_FLAGS && wire == 0) {
                flags = in.varint();
            } else if (field == CLASS_SEALED_SUBCLASSES && wire == 2) {
                Reader packed = in.slice(in.varint());
                while (!packed.done()) {
                    sealed.add(packed.varint());
                }
            } else if (field == CLASS_SEALED_SUBCLASSES && wire == 0) {
                sealed.add(in.varint());
            } else {
                in.skip(wire);
            }
        }
        return new Decoded(flags, sealed, records, recordStrings, d2);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (AnnotationValue element : (List<? extends AnnotationValue>) value) {
            strings.add(String.valueOf(element.getValue()));
        }
        return strings;
    }

    /**
     * Expands {@code StringTableTypes.record} (each repeated {@code range} times) into one entry per string index:
     * {predefined index or -1, operation, substring begin, substring end (or -1), replace from, replace to (or -1)},
     * with its literal string (or null) alongside.
     */
    private static void readStringTable(Reader in, List<int[]> records, List<String> strings) {
        while (!in.done()) {
            int tag = in.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                Reader record = in.slice(in.varint());
                int range = 1;
                int[] entry = {-1, 0, -1, -1, -1, -1};
                String literal = null;
                List<Integer> substring = new ArrayList<>();
                List<Integer> replace = new ArrayList<>();
                while (!record.done()) {
                    int recordTag = record.varint();
                    int field = recordTag >>> 3;
                    int wire = recordTag & 7;
                    if (field == 1 && wire == 0) {
                        range = record.varint();
                    } else if (field == 2 && wire == 0) {
                        entry[0] = record.varint();
                    } else if (field == 3 && wire == 0) {
                        entry[1] = record.varint();
                    } else if ((field == 4 || field == 5) && wire == 2) {
                        Reader packed = record.slice(record.varint());
                        while (!packed.done()) {
                            (field == 4 ? substring : replace).add(packed.varint());
                        }
                    } else if ((field == 4 || field == 5) && wire == 0) {
                        (field == 4 ? substring : replace).add(record.varint());
                    } else if (field == 6 && wire == 2) {
                        literal = record.utf8(record.varint());
                    } else {
                        record.skip(wire);
                    }
                }
                if (substring.size() >= 2) {
                    entry[2] = substring.get(0);
                    entry[3] = substring.get(1);
                }
                if (replace.size() >= 2) {
                    entry[4] = replace.get(0);
                    entry[5] = replace.get(1);
                }
                for (int i = 0; i < range; i++) {
                    records.add(entry);
                    strings.add(literal);
                }
            } else {
                in.skip(tag & 7);
            }
        }
    }

    /** The canonical name of the class that string {@code index} names, or null. */
    private static String className(int index, List<int[]> records, List<String> literals, List<String> d2) {
        String string;
        int[] record = index < records.size() ? records.get(index) : null;
        if (record == null) {
            string = index < d2.size() ? d2.get(index) : null;
        } else if (literals.get(index) != null) {
            string = literals.get(index);
        } else if (record[0] >= 0) {
            return null; // one of Kotlin's predefined names (kotlin/Any...), never a sealed subclass of user code
        } else {
            string = index < d2.size() ? d2.get(index) : null;
        }
        if (string == null) {
            return null;
        }
        if (record != null) {
            if (record[2] >= 0 && record[3] >= record[2] && record[3] <= string.length()) {
                string = string.substring(record[2], record[3]);
            }
            if (record[4] >= 0 && record[5] >= 0) {
                string = string.replace((char) record[4], (char) record[5]);
            }
            if (record[1] == OPERATION_DESC_TO_CLASS_ID && string.length() >= 2) {
                string = string.substring(1, string.length() - 1).replace('$', '.');
            } else if (record[1] == OPERATION_INTERNAL_TO_CLASS_ID) {
                string = string.replace('$', '.');
            }
        }
        // A class id: "com/acme/Outer.Inner" (a local class would start with '.').
        return string.startsWith(".") ? null : string.replace('/', '.');
    }

    /** A protobuf reader over part of a byte array. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int position;

        Reader(byte[] bytes, int start, int end) {
            if (start < 0 || end > bytes.length || start > end) {
                throw new IllegalArgumentException("truncated metadata");
            }
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean done() {
            return position >= end;
        }

        int varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = bytes[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (int) result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        Reader slice(int length) {
            Reader slice = new Reader(bytes, position, position + length);
            position += length;
            return slice;
        }

        String utf8(int length) {
            Reader slice = slice(length);
            return new String(bytes, slice.position, length, java.nio.charset.StandardCharsets.UTF_8);
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> slice(8);
                case 2 -> slice(varint());
                case 5 -> slice(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }
    }
}
