package dev.eskit.processor.read;

import com.palantir.javapoet.ClassName;
import dev.eskit.annotations.Event;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.DcbModel;
import dev.eskit.processor.model.TagModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * Reads and checks the query of a {@code @DcbDecider}: its items, that it covers every event type the decider evolves
 * (with tags those events carry), and that every command supplies each tag prefix.
 */
final class DcbQueryReader {

    private record ItemRead(List<TypeElement> types, List<String> prefixes) {
    }

    private final Diagnostics diagnostics;
    private final ReadSupport support;
    private final TagReader tags;

    DcbQueryReader(EskitContext context) {
        this.diagnostics = context.diagnostics();
        this.support = new ReadSupport(context);
        this.tags = new TagReader(context);
    }

    /** The boundary, or null when it has errors (which are reported). */
    DcbModel read(TypeElement decider, AnnotationMirror annotation, List<TypeElement> evolved,
                  List<TypeElement> commands) {
        int before = diagnostics.errorCount();
        String name = decider.getQualifiedName().toString();
        AnnotationValue query = ReadSupport.value(annotation, "query");
        List<?> values = query != null && query.getValue() instanceof List<?> list ? list : List.of();
        if (values.isEmpty()) {
            diagnostics.report(Message.DCB_QUERY_INVALID, decider, annotation, query, name, "has no items",
                    "Add one: @DcbDecider(query = @QueryItem(types = YourEvent.class, tags = \"your-prefix\")).");
            return null;
        }
        List<ItemRead> items = new ArrayList<>();
        Set<String> tagMissingReported = new HashSet<>();
        for (Object element : values) {
            AnnotationValue itemValue = (AnnotationValue) element;
            if (!(itemValue.getValue() instanceof AnnotationMirror item)) {
                continue;
            }
            List<String> prefixes = new ArrayList<>();
            AnnotationValue tagsValue = ReadSupport.value(item, "tags");
            for (AnnotationValue tag : list(tagsValue)) {
                String prefix = String.valueOf(tag.getValue());
                if (!TagReader.validPrefix(prefix)) {
                    diagnostics.report(Message.TAG_PREFIX_INVALID, decider, annotation, tag,
                            "the query of \"" + name + "\"", prefix, TagReader.suggest(prefix, "course"));
                } else if (!prefixes.contains(prefix)) {
                    prefixes.add(prefix);
                }
            }
            List<TypeElement> types = new ArrayList<>();
            for (AnnotationValue typeValue : list(ReadSupport.value(item, "types"))) {
                if (!(typeValue.getValue() instanceof TypeMirror mirror)) {
                    throw new DeferException(String.valueOf(typeValue.getValue()));
                }
                ReadSupport.requireResolved(mirror);
                TypeElement type = support.typeElement(mirror);
                if (type == null || type.getKind() != ElementKind.RECORD
                        || ReadSupport.mirror(type, Event.class) == null) {
                    diagnostics.report(Message.DCB_QUERY_INVALID, decider, annotation, typeValue, name,
                            "lists \"" + ReadSupport.simple(mirror) + "\", which is not an @Event record",
                            "List @Event records, or leave types empty to match events of every type.");
                    continue;
                }
                Set<String> carried = prefixesOf(type);
                for (String prefix : prefixes) {
                    if (!carried.contains(prefix)) {
                        tagMissingReported.add(type.getQualifiedName().toString());
                        diagnostics.report(Message.DCB_QUERY_TAG_MISSING, decider, annotation, typeValue,
                                type.getSimpleName(), prefix, name, prefix, type.getSimpleName());
                    }
                }
                types.add(type);
            }
            items.add(new ItemRead(types, prefixes));
        }
        for (TypeElement type : evolved) {
            List<TypeElement> leaves = ReadSupport.isSealed(type) ? support.leaves(type) : List.of(type);
            for (TypeElement leaf : leaves) {
                if (tagMissingReported.contains(leaf.getQualifiedName().toString()) || covered(items, leaf)) {
                    continue;
                }
                String via = leaf == type ? "" : " (a \"" + type.getSimpleName() + "\" it evolves)";
                diagnostics.report(Message.DCB_QUERY_UNCOVERED, decider, annotation, query, name,
                        leaf.getSimpleName(), via, leaf.getSimpleName());
            }
        }
        Set<String> used = new LinkedHashSet<>();
        items.forEach(i -> used.addAll(i.prefixes()));
        List<DcbModel.Binding> bindings = new ArrayList<>();
        Map<String, TypeElement> sorted = new TreeMap<>();
        commands.forEach(c -> sorted.put(c.getQualifiedName().toString(), c));
        for (TypeElement command : sorted.values()) {
            List<TagModel> commandTags = tags.read(command, false);
            Map<String, String> accessors = new LinkedHashMap<>();
            for (String prefix : used) {
                List<TagModel> matching = commandTags.stream().filter(t -> t.prefix().equals(prefix)).toList();
                if (matching.size() == 1) {
                    accessors.put(prefix, matching.get(0).accessor());
                    continue;
                }
                String found = matching.isEmpty()
                        ? "no @Tag(\"" + prefix + "\") component" + (command.getKind() == ElementKind.RECORD ? ""
                                : " (it is not a record)")
                        : matching.size() + " of them (" + matching.stream().map(t -> "\"" + t.accessor() + "\"")
                                .collect(Collectors.joining(", ")) + ")";
                diagnostics.report(Message.DCB_TAG_UNBOUND, command, name, prefix, command.getSimpleName(), found,
                        prefix);
            }
            bindings.add(new DcbModel.Binding(ClassName.get(command), accessors));
        }
        if (diagnostics.errorCount() != before) {
            return null;
        }
        List<DcbModel.Item> models = items.stream().map(i -> new DcbModel.Item(
                i.types().stream().map(support::wireName).toList(), i.prefixes())).toList();
        return new DcbModel(models, bindings);
    }

    private boolean covered(List<ItemRead> items, TypeElement leaf) {
        Set<String> carried = leaf.getKind() == ElementKind.RECORD ? prefixesOf(leaf) : Set.of();
        for (ItemRead item : items) {
            boolean typeMatches = item.types().isEmpty() || item.types().stream()
                    .anyMatch(t -> t.getQualifiedName().contentEquals(leaf.getQualifiedName()));
            if (typeMatches && carried.containsAll(item.prefixes())) {
                return true;
            }
        }
        return false;
    }

    private Set<String> prefixesOf(TypeElement type) {
        return tags.read(type, false).stream().map(TagModel::prefix).collect(Collectors.toSet());
    }

    private static List<AnnotationValue> list(AnnotationValue value) {
        if (value == null) {
            return List.of();
        }
        if (value.getValue() instanceof List<?> values) {
            return values.stream().map(AnnotationValue.class::cast).toList();
        }
        return List.of(value);
    }
}
