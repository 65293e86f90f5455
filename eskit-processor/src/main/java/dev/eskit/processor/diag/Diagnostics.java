package dev.eskit.processor.diag;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** Reports {@link Message}s on elements, annotations and annotation values, and counts the errors. */
public final class Diagnostics {

    private final Messager messager;
    private int errors;

    /** Reports through {@code messager}. */
    public Diagnostics(Messager messager) {
        this.messager = messager;
    }

    /** Reports {@code message} on {@code element}. */
    public void report(Message message, Element element, Object... args) {
        count(message);
        messager.printMessage(message.kind(), message.format(args), element);
    }

    /** Reports {@code message} on an annotation of {@code element} (or the element when the annotation is absent). */
    public void report(Message message, Element element, AnnotationMirror annotation, Object... args) {
        count(message);
        if (annotation == null) {
            messager.printMessage(message.kind(), message.format(args), element);
        } else {
            messager.printMessage(message.kind(), message.format(args), element, annotation);
        }
    }

    /** Reports {@code message} on an annotation value (or the annotation, or the element, as far as they exist). */
    public void report(Message message, Element element, AnnotationMirror annotation, AnnotationValue value,
                       Object... args) {
        if (value == null) {
            report(message, element, annotation, args);
            return;
        }
        count(message);
        messager.printMessage(message.kind(), message.format(args), element, annotation, value);
    }

    /** Reports an unexpected exception on {@code element}, with its stack trace. */
    public void internal(Element element, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        report(Message.INTERNAL, element, String.valueOf(element), trace);
    }

    /** How many errors were reported so far. */
    public int errorCount() {
        return errors;
    }

    private void count(Message message) {
        if (message.kind() == javax.tools.Diagnostic.Kind.ERROR) {
            errors++;
        }
    }

    /**
     * {@code " Did you mean \"x\"?"} for the candidate nearest to {@code name} when it is close enough, else an empty
     * string.
     */
    public static String didYouMean(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            int distance = distance(name.toLowerCase(java.util.Locale.ROOT),
                    candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance && !candidate.equals(name)) {
                bestDistance = distance;
                best = candidate;
            }
        }
        int limit = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= limit ? " Did you mean \"" + best + "\"?" : "";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
