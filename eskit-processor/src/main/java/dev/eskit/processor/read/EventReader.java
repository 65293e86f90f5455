package dev.eskit.processor.read;

import dev.eskit.annotations.Event;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.EventModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Reads one {@code @Event} type into an {@link EventModel}, reporting every problem it has. Event types are Java
 * records or Kotlin property classes (see {@link ValueTypes}).
 */
public final class EventReader {

    private final EskitContext context;
    private final ReadSupport support;
    private final ValueTypes values;

    /** A reader in {@code context}. */
    public EventReader(EskitContext context) {
        this.context = context;
        this.support = new ReadSupport(context);
        this.values = new ValueTypes(context);
    }

    /** The model of {@code type}, or null when it has errors (which are reported). */
    public EventModel read(TypeElement type) {
        Diagnostics diagnostics = context.diagnostics();
        int before = diagnostics.errorCount();
        AnnotationMirror annotation = ReadSupport.mirror(type, Event.class);
        String simpleName = type.getSimpleName().toString();
        if (type.getKind() != ElementKind.RECORD && ValueTypes.isKotlin(type)) {
            String problem = values.kotlinProblem(type);
            if (problem != null) {
                diagnostics.report(Message.EVENT_KOTLIN_CLASS, type, annotation, type.getQualifiedName(), problem,
                        simpleName);
            }
        } else if (type.getKind() != ElementKind.RECORD) {
            diagnostics.report(Message.EVENT_NOT_RECORD, type, annotation, type.getQualifiedName(),
                    ReadSupport.article(ReadSupport.kindName(type)),
                    simpleName);
        }
        if (!type.getTypeParameters().isEmpty()) {
            diagnostics.report(Message.EVENT_GENERIC, type, annotation, type.getQualifiedName(),
                    type.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        support.checkAccessible(type, type);

        AnnotationValue versionValue = ReadSupport.value(annotation, "version");
        int version = versionValue == null ? 1 : (Integer) versionValue.getValue();
        if (version < 1) {
            diagnostics.report(Message.EVENT_VERSION, type, annotation, versionValue, type.getQualifiedName(), version);
        }

        String defaultName = ReadSupport.defaultWireName(support.packageOf(type), simpleName);
        AnnotationValue nameValue = ReadSupport.value(annotation, "name");
        String explicit = nameValue == null ? "" : String.valueOf(nameValue.getValue());
        if (!explicit.isEmpty() && !validName(explicit)) {
            diagnostics.report(Message.EVENT_NAME_INVALID, type, annotation, nameValue, type.getQualifiedName(),
                    "name", explicit, defaultName);
        }
        String wireName = explicit.isEmpty() ? defaultName : explicit;

        List<String> aliases = new ArrayList<>();
        AnnotationValue aliasValue = ReadSupport.value(annotation, "aliases");
        if (aliasValue != null && aliasValue.getValue() instanceof List<?> values) {
            for (Object element : values) {
                AnnotationValue alias = (AnnotationValue) element;
                String text = String.valueOf(alias.getValue());
                if (!validName(text)) {
                    diagnostics.report(Message.EVENT_NAME_INVALID, type, annotation, alias, type.getQualifiedName(),
                            "the alias", text, defaultName);
                } else if (text.equals(wireName) || aliases.contains(text)) {
                    diagnostics.report(Message.EVENT_ALIAS_REPEATED, type, annotation, alias,
                            type.getQualifiedName(), text, text.equals(wireName) ? "although it is the current name"
                                    : "twice");
                } else {
                    aliases.add(text);
                }
            }
        }
        if (diagnostics.errorCount() != before) {
            return null;
        }
        return new EventModel(ReadSupport.className(type), wireName, version, aliases, type);
    }

    private static boolean validName(String name) {
        return !name.isBlank() && name.chars().noneMatch(Character::isWhitespace) && name.length() <= 256;
    }
}
