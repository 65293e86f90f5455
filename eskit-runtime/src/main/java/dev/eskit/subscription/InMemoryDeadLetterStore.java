package dev.eskit.subscription;

import dev.eskit.EventStore;
import dev.eskit.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Dead letters in a map, for tests and for the in-memory store. */
final class InMemoryDeadLetterStore implements DeadLetterStore {
    private final ConcurrentMap<UUID, DeadLetter> letters = new ConcurrentHashMap<>();

    @Override
    public void put(DeadLetter deadLetter) {
        letters.put(deadLetter.id(), Objects.requireNonNull(deadLetter, "deadLetter"));
    }

    @Override
    public List<DeadLetter> list(String subscription, int limit) {
        Names.check("Subscription name", subscription);
        EventStore.checkReadLimit(limit);
        List<DeadLetter> result = new ArrayList<>();
        for (DeadLetter letter : letters.values()) {
            if (letter.subscription().equals(subscription)) {
                result.add(letter);
            }
        }
        result.sort(Comparator.comparing(DeadLetter::position).thenComparing(DeadLetter::firstFailedAt));
        return List.copyOf(result.subList(0, Math.min(limit, result.size())));
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        return Optional.ofNullable(letters.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public long count(String subscription) {
        Names.check("Subscription name", subscription);
        return letters.values().stream().filter(l -> l.subscription().equals(subscription)).count();
    }

    @Override
    public boolean delete(UUID id) {
        return letters.remove(Objects.requireNonNull(id, "id")) != null;
    }

    @Override
    public int deleteAll(String subscription) {
        Names.check("Subscription name", subscription);
        int[] removed = {0};
        letters.values().removeIf(letter -> {
            boolean match = letter.subscription().equals(subscription);
            if (match) {
                removed[0]++;
            }
            return match;
        });
        return removed[0];
    }
}
