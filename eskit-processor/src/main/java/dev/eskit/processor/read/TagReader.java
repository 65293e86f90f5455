package dev.eskit.processor.read;

import dev.eskit.annotations.Tag;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.TagModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/** Reads the {@code @Tag} record components of an event or command. */
public final class TagReader {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final EskitContext context;

    /** A reader in {@code context}. */
    public TagReader(EskitContext context) {
        this.context = context;
    }

    /** Whether {@code prefix} is a valid tag prefix. */
    public static boolean validPrefix(String prefix) {
        return PREFIX.matcher(prefix).matches();
    }

    /** A valid prefix near {@code prefix} (or {@code fallback}), for messages. */
    public static String suggest(String prefix, String fallback) {
        String cleaned = prefix.replaceAll("[^A-Za-z0-9_.-]", "");
        if (cleaned.isEmpty()) {
            cleaned = fallback.replaceAll("[^A-Za-z0-9_.-]", "").toLowerCase(Locale.ROOT);
        }
        if (cleaned.endsWith("Id") && cleaned.length() > 2) {
            cleaned = cleaned.substring(0, cleaned.length() - 2);
        }
        return cleaned.isEmpty() ? "course" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }

    private static Element positioned(TypeElement type, Element component) {
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() == ElementKind.FIELD && member.getSimpleName().equals(component.getSimpleName())) {
                return member;
            }
        }
        return type;
    }

    /**
     * The {@code @Tag} components of {@code type}, in declaration order; an invalid prefix is reported (when
     * {@code report}) and left out.
     */
    public List<TagModel> read(TypeElement type, boolean report) {
        List<TagModel> tags = new ArrayList<>();
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() != ElementKind.RECORD_COMPONENT) {
                continue;
            }
            AnnotationMirror tag = ReadSupport.mirror(member, Tag.class);
            if (tag == null) {
                continue;
            }
            AnnotationValue value = ReadSupport.value(tag, "value");
            String prefix = value == null ? "" : String.valueOf(value.getValue());
            String name = member.getSimpleName().toString();
            if (!validPrefix(prefix)) {
                if (report) {
                    // javac gives record components no source position; their fields have one.
                    context.diagnostics().report(Message.TAG_PREFIX_INVALID, positioned(type, member),
                            "component \"" + name + "\" of \"" + type.getQualifiedName() + "\"", prefix,
                            suggest(prefix, name));
                }
                continue;
            }
            tags.add(new TagModel(prefix, name));
        }
        return tags;
    }
}
