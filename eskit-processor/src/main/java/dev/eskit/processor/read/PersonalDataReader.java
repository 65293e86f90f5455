package dev.eskit.processor.read;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.PersonalData;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.PersonalDataModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;

/** Reads the {@code @PersonalData} and {@code @DataSubject} components of an {@code @Event} record. */
public final class PersonalDataReader {

    private final EskitContext context;

    /** A reader in {@code context}. */
    public PersonalDataReader(EskitContext context) {
        this.context = context;
    }

    /**
     * Where to report a problem with a component: javac keeps no source position for the component element or its
     * implicit accessor, but the component's private field is declared by the record header itself.
     */
    private static javax.lang.model.element.Element at(RecordComponentElement component) {
        for (javax.lang.model.element.Element member : component.getEnclosingElement().getEnclosedElements()) {
            if (member.getKind() == javax.lang.model.element.ElementKind.FIELD
                    && member.getSimpleName().contentEquals(component.getSimpleName())) {
                return member;
            }
        }
        return component.getEnclosingElement();
    }

    /**
     * The personal data of {@code type}, whose wire name is {@code wireName}; null when it has none or has errors
     * (which are reported).
     */
    public PersonalDataModel read(TypeElement type, String wireName) {
        Diagnostics diagnostics = context.diagnostics();
        List<? extends RecordComponentElement> components = type.getRecordComponents();
        List<String> names = components.stream().map(c -> c.getSimpleName().toString()).toList();
        List<RecordComponentElement> subjects = components.stream()
                .filter(c -> ReadSupport.mirror(c, DataSubject.class) != null)
                .collect(Collectors.toList());
        int before = diagnostics.errorCount();
        if (subjects.size() > 1) {
            diagnostics.report(Message.DATA_SUBJECT_DUPLICATE, at(subjects.get(1)), type.getQualifiedName(),
                    subjects.size(), subjects.stream().map(c -> "\"" + c.getSimpleName() + "\"")
                            .collect(Collectors.joining(", ")));
        }
        String defaultSubject = subjects.isEmpty() ? null : subjects.get(0).getSimpleName().toString();
        List<PersonalDataModel.Field> fields = new ArrayList<>();
        for (RecordComponentElement component : components) {
            AnnotationMirror personal = ReadSupport.mirror(component, PersonalData.class);
            if (personal == null) {
                continue;
            }
            String name = component.getSimpleName().toString();
            AnnotationValue subjectValue = ReadSupport.value(personal, "subject");
            String explicit = subjectValue == null ? "" : String.valueOf(subjectValue.getValue());
            String subject;
            if (!explicit.isEmpty()) {
                if (!names.contains(explicit)) {
                    diagnostics.report(Message.PERSONAL_DATA_SUBJECT_UNKNOWN, at(component),
                            type.getQualifiedName(), explicit,
                            names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")),
                            Diagnostics.didYouMean(explicit, names));
                    continue;
                }
                subject = explicit;
            } else if (defaultSubject == null) {
                List<String> candidates = names.stream().filter(n -> !n.equals(name)).toList();
                String hint = candidates.stream().filter(n -> n.endsWith("Id") || n.equals("id")).findFirst()
                        .map(n -> " Did you mean to annotate component \"" + n + "\" with @DataSubject?").orElse("");
                diagnostics.report(Message.PERSONAL_DATA_NO_SUBJECT, at(component), name,
                        type.getQualifiedName(), hint);
                continue;
            } else {
                subject = defaultSubject;
            }
            boolean text = component.asType().toString().equals("java.lang.String");
            fields.add(new PersonalDataModel.Field(name, subject, text));
        }
        if (diagnostics.errorCount() != before || fields.isEmpty()) {
            return null;
        }
        return new PersonalDataModel(wireName, fields, type);
    }
}
