package dev.eskit.processor;

import com.palantir.javapoet.JavaFile;
import dev.eskit.processor.read.DeferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** What the steps share: running one type at a time, deferral, and writing files. */
final class Steps {

    private final EskitContext context;
    private final Consumer<TypeElement> beforeType;

    Steps(EskitContext context, Consumer<TypeElement> beforeType) {
        this.context = context;
        this.beforeType = beforeType;
    }

    /**
     * The types annotated in this round plus the ones deferred from earlier rounds, sorted by qualified name. The
     * deferred map is emptied; {@link #run} refills it.
     */
    List<TypeElement> types(Set<? extends Element> annotated, Map<String, String> deferred) {
        Map<String, TypeElement> types = new LinkedHashMap<>();
        for (Element element : annotated) {
            if (element instanceof TypeElement type) {
                types.put(type.getQualifiedName().toString(), type);
            }
        }
        for (String name : deferred.keySet()) {
            TypeElement type = context.elements().getTypeElement(name);
            if (type != null) {
                types.putIfAbsent(name, type);
            }
        }
        deferred.clear();
        List<TypeElement> sorted = new ArrayList<>(types.values());
        sorted.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        return sorted;
    }

    /**
     * Runs {@code work} on {@code type}: a {@link DeferException} puts the type into {@code deferred}, any other
     * exception is reported on the type with its stack trace (never thrown at javac).
     */
    void run(TypeElement type, Map<String, String> deferred, Consumer<TypeElement> work) {
        try {
            beforeType.accept(type);
            work.accept(type);
        } catch (DeferException defer) {
            deferred.put(type.getQualifiedName().toString(), defer.missing());
        } catch (RuntimeException | LinkageError failure) {
            context.diagnostics().internal(type, failure);
        }
    }

    /** Writes {@code file}; a failure is reported on {@code origin}. */
    void write(JavaFile file, Element origin) {
        try {
            file.writeTo(context.filer());
        } catch (IOException failure) {
            context.diagnostics().internal(origin, failure);
        }
    }
}
