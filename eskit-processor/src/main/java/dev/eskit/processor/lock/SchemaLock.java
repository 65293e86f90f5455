package dev.eskit.processor.lock;

import dev.eskit.processor.model.EventShape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema lock: the recorded shape of every event, by wire name. The text form is sorted and has one line per
 * component, so that a change of an event shows up in a review as a few changed lines:
 *
 * <pre>
 * event bank.Withdrawn version 2 class dev.eskit.samples.bank.Withdrawn
 *   accountId: java.lang.String
 *   amountCents: long
 *   reason: java.lang.String
 * </pre>
 */
public final class SchemaLock {

    /** The comment the file starts with. */
    static final String HEADER = """
            # eskit schema lock: the wire name, schema version and shape of every @Event record.
            # Written by the eskit annotation processor; commit it with the sources. A changed shape without a new
            # version fails the build. See docs/schema-evolution.md.
            """;

    private final SortedMap<String, EventShape> events;
    private final SortedMap<String, EventShape> commands;

    private SchemaLock(SortedMap<String, EventShape> events, SortedMap<String, EventShape> commands) {
        this.events = events;
        this.commands = commands;
    }

    /** A lock with {@code events} and no commands. */
    public static SchemaLock of(Collection<EventShape> events) {
        return of(events, java.util.List.of());
    }

    /** A lock with {@code events} and {@code commands} (listed after the events, as {@code command ...}). */
    public static SchemaLock of(Collection<EventShape> events, Collection<EventShape> commands) {
        SortedMap<String, EventShape> map = new TreeMap<>();
        events.forEach(e -> map.put(e.wireName(), e));
        SortedMap<String, EventShape> commandMap = new TreeMap<>();
        commands.forEach(c -> commandMap.put(c.wireName(), c));
        return new SchemaLock(map, commandMap);
    }

    /** The events, by wire name. */
    public SortedMap<String, EventShape> events() {
        return Collections.unmodifiableSortedMap(events);
    }

    /** The commands of the deciders, by wire name. */
    public SortedMap<String, EventShape> commands() {
        return Collections.unmodifiableSortedMap(commands);
    }

    /** Thrown by {@link #parse} for text that is not a lock. */
    public static final class InvalidLockException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidLockException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses the text form. */
    public static SchemaLock parse(String text) throws InvalidLockException {
        SortedMap<String, EventShape> events = new TreeMap<>();
        SortedMap<String, EventShape> commands = new TreeMap<>();
        SortedMap<String, EventShape> target = events;
        String name = null;
        int version = 0;
        String className = null;
        SortedMap<String, String> components = new TreeMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("event ") || line.startsWith("command ")) {
                if (name != null) {
                    put(target, new EventShape(name, version, className, components), i);
                }
                target = line.startsWith("event ") ? events : commands;
                String[] parts = line.trim().split(" +");
                if (parts.length != 6 || !parts[2].equals("version") || !parts[4].equals("class")) {
                    throw new InvalidLockException("line " + (i + 1) + " is not \"" + parts[0] + " <name> version <n>"
                            + " class <class>\": " + line);
                }
                name = parts[1];
                try {
                    version = Integer.parseInt(parts[3]);
                } catch (NumberFormatException e) {
                    throw new InvalidLockException("line " + (i + 1) + " has version \"" + parts[3]
                            + "\", which is not a number");
                }
                className = parts[5];
                components = new TreeMap<>();
            } else if (line.startsWith("  ") && name != null && line.indexOf(": ") > 2) {
                int colon = line.indexOf(": ");
                components.put(line.substring(2, colon), line.substring(colon + 2));
            } else {
                throw new InvalidLockException("line " + (i + 1) + " is neither a comment, \"event ...\","
                        + " \"command ...\" nor an indented \"component: type\" line: " + line);
            }
        }
        if (name != null) {
            put(target, new EventShape(name, version, className, components), lines.length);
        }
        return new SchemaLock(events, commands);
    }

    private static void put(SortedMap<String, EventShape> events, EventShape shape, int line)
            throws InvalidLockException {
        if (events.put(shape.wireName(), shape) != null) {
            throw new InvalidLockException("\"" + shape.wireName() + "\" is listed twice (before line " + line
                    + ")");
        }
    }

    /**
     * The text form: the header, then every event sorted by wire name, then every command, components sorted by
     * path.
     */
    public String render() {
        StringBuilder text = new StringBuilder(HEADER);
        render(text, "event ", events);
        render(text, "command ", commands);
        return text.toString();
    }

    private static void render(StringBuilder text, String kind, SortedMap<String, EventShape> shapes) {
        for (EventShape shape : shapes.values()) {
            text.append('\n').append(kind).append(shape.wireName()).append(" version ").append(shape.version())
                    .append(" class ").append(shape.className()).append('\n');
            shape.components().forEach((path, type) -> text.append("  ").append(path).append(": ").append(type)
                    .append('\n'));
        }
    }

    /**
     * The differences between a locked shape and the current one, for messages: {@code "reason" added},
     * {@code "amountCents" removed}, {@code "amountCents" changed from long to int}; empty when the shapes match.
     */
    public static List<String> changes(EventShape locked, EventShape current) {
        List<String> changes = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(locked.components().keySet());
        paths.addAll(current.components().keySet());
        for (String path : paths) {
            String before = locked.components().get(path);
            String after = current.components().get(path);
            if (before == null) {
                changes.add("\"" + path + "\" added");
            } else if (after == null) {
                changes.add("\"" + path + "\" removed");
            } else if (!before.equals(after)) {
                changes.add("\"" + path + "\" changed from " + before + " to " + after);
            }
        }
        return changes;
    }
}
