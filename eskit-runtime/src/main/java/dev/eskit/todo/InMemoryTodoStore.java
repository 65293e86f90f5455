package dev.eskit.todo;

import dev.eskit.EventStore;
import dev.eskit.Names;
import dev.eskit.subscription.AppendNotifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Todo lists in memory, under one lock. As an {@link AppendNotifier} it wakes processors when items are added. */
final class InMemoryTodoStore implements TodoStore, AppendNotifier {

    private record Key(String list, String id) {
    }

    private final Clock clock;
    private final Map<Key, TodoItem> items = new LinkedHashMap<>();
    private final Map<Key, UUID> tokens = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    InMemoryTodoStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean add(String list, String id, String payload) {
        Instant now = clock.instant();
        TodoItem item = new TodoItem(list, id, payload, TodoStatus.PENDING, 0, now, null, now);
        boolean added;
        synchronized (this) {
            added = items.putIfAbsent(new Key(list, id), item) == null;
        }
        if (added) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    // A wake-up hint only; the processor polls anyway.
                }
            }
        }
        return added;
    }

    @Override
    public synchronized List<TodoClaim> claim(String list, String worker, int max, Duration lease) {
        Names.check("Todo list name", list);
        Names.check("Worker name", worker);
        EventStore.checkReadLimit(max);
        TodoStore.checkLease(lease);
        Instant now = clock.instant();
        List<TodoItem> ready = new ArrayList<>();
        for (TodoItem item : items.values()) {
            boolean due = !item.availableAt().isAfter(now);
            if (item.list().equals(list) && due
                    && (item.status() == TodoStatus.PENDING || item.status() == TodoStatus.CLAIMED)) {
                ready.add(item);
            }
        }
        ready.sort(Comparator.comparing(TodoItem::availableAt).thenComparing(TodoItem::createdAt));
        List<TodoClaim> claims = new ArrayList<>();
        Instant until = now.plus(lease);
        for (TodoItem item : ready.subList(0, Math.min(max, ready.size()))) {
            TodoItem claimed = new TodoItem(list, item.id(), item.payload(), TodoStatus.CLAIMED, item.attempts() + 1,
                    until, item.lastError(), item.createdAt());
            Key key = new Key(list, item.id());
            UUID token = UUID.randomUUID();
            items.put(key, claimed);
            tokens.put(key, token);
            claims.add(new TodoClaim(claimed, worker, token, until));
        }
        return claims;
    }

    @Override
    public synchronized boolean complete(TodoClaim claim) {
        Key key = held(claim);
        if (key == null) {
            return false;
        }
        TodoItem item = items.get(key);
        items.put(key, new TodoItem(item.list(), item.id(), item.payload(), TodoStatus.DONE, item.attempts(),
                clock.instant(), item.lastError(), item.createdAt()));
        tokens.remove(key);
        return true;
    }

    @Override
    public synchronized boolean fail(TodoClaim claim, String error, Instant retryAt) {
        Key key = held(claim);
        if (key == null) {
            return false;
        }
        TodoItem item = items.get(key);
        TodoStatus status = retryAt == null ? TodoStatus.DEAD : TodoStatus.PENDING;
        items.put(key, new TodoItem(item.list(), item.id(), item.payload(), status, item.attempts(),
                retryAt == null ? clock.instant() : retryAt, error, item.createdAt()));
        tokens.remove(key);
        return true;
    }

    /** The key of the claim's item when the claim still holds it. */
    private Key held(TodoClaim claim) {
        Key key = new Key(claim.item().list(), claim.item().id());
        TodoItem item = items.get(key);
        if (item == null || item.status() != TodoStatus.CLAIMED || !claim.token().equals(tokens.get(key))) {
            return null;
        }
        return key;
    }

    @Override
    public synchronized Optional<TodoItem> find(String list, String id) {
        return Optional.ofNullable(items.get(new Key(list, id)));
    }

    @Override
    public synchronized List<TodoItem> list(String list, TodoStatus status, int limit) {
        EventStore.checkReadLimit(limit);
        List<TodoItem> result = new ArrayList<>();
        for (TodoItem item : items.values()) {
            if (item.list().equals(list) && item.status() == status) {
                result.add(item);
            }
        }
        result.sort(Comparator.comparing(TodoItem::createdAt));
        return List.copyOf(result.subList(0, Math.min(limit, result.size())));
    }

    @Override
    public boolean retry(String list, String id) {
        boolean changed;
        synchronized (this) {
            Key key = new Key(list, id);
            TodoItem item = items.get(key);
            changed = item != null && (item.status() == TodoStatus.DEAD || item.status() == TodoStatus.DONE);
            if (changed) {
                items.put(key, new TodoItem(list, id, item.payload(), TodoStatus.PENDING, 0, clock.instant(),
                        item.lastError(), item.createdAt()));
            }
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
        return changed;
    }

    @Override
    public synchronized boolean delete(String list, String id) {
        Key key = new Key(list, id);
        tokens.remove(key);
        return items.remove(key) != null;
    }

    @Override
    public Registration onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable entry = listener::run;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }
}
