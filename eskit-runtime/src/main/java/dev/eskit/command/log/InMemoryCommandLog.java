package dev.eskit.command.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The command log in memory; thread-safe. */
final class InMemoryCommandLog implements CommandLog {

    private final Map<String, CommandLogEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized void record(CommandLogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        entries.putIfAbsent(entry.commandId(), entry);
    }

    @Override
    public synchronized Optional<CommandLogEntry> find(String commandId) {
        return Optional.ofNullable(entries.get(commandId));
    }

    @Override
    public synchronized List<CommandLogEntry> list(CommandLogQuery query) {
        List<CommandLogEntry> found = new ArrayList<>();
        for (CommandLogEntry entry : entries.values()) {
            if (query.matches(entry)) {
                found.add(entry);
            }
        }
        found.sort(Comparator.comparing(CommandLogEntry::startedAt).reversed());
        return List.copyOf(found.subList(0, Math.min(found.size(), query.limit())));
    }

    @Override
    public synchronized int deleteStartedBefore(Instant cutoff) {
        int before = entries.size();
        entries.values().removeIf(entry -> entry.startedAt().isBefore(cutoff));
        return before - entries.size();
    }
}
