package dev.eskit.tenancy;

import dev.eskit.todo.TodoClaim;
import dev.eskit.todo.TodoItem;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One tenant's todo lists in a shared {@link TodoStore}: list {@code l} is kept as {@code <tenant>::l}. */
final class TenantScopedTodoStore implements TodoStore {

    private final TenantScope scope;
    private final TodoStore shared;

    TenantScopedTodoStore(TenantScope scope, TodoStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    private String scoped(String list) {
        return scope.name("Todo list name", list);
    }

    private TodoItem unscoped(TodoItem item) {
        return new TodoItem(scope.unscoped(item.list()), item.id(), item.payload(), item.status(), item.attempts(),
                item.availableAt(), item.lastError(), item.createdAt());
    }

    private TodoItem scoped(TodoItem item) {
        return new TodoItem(scoped(item.list()), item.id(), item.payload(), item.status(), item.attempts(),
                item.availableAt(), item.lastError(), item.createdAt());
    }

    private TodoClaim scoped(TodoClaim claim) {
        return new TodoClaim(scoped(Objects.requireNonNull(claim, "claim").item()), claim.worker(), claim.token(),
                claim.leaseUntil());
    }

    @Override
    public boolean add(String list, String id, String payload) {
        return shared.add(scoped(list), id, payload);
    }

    @Override
    public List<TodoClaim> claim(String list, String worker, int max, Duration lease) {
        List<TodoClaim> claims = shared.claim(scoped(list), worker, max, lease);
        List<TodoClaim> result = new ArrayList<>(claims.size());
        for (TodoClaim claim : claims) {
            result.add(new TodoClaim(unscoped(claim.item()), claim.worker(), claim.token(), claim.leaseUntil()));
        }
        return result;
    }

    @Override
    public boolean complete(TodoClaim claim) {
        return shared.complete(scoped(claim));
    }

    @Override
    public boolean fail(TodoClaim claim, String error, Instant retryAt) {
        return shared.fail(scoped(claim), error, retryAt);
    }

    @Override
    public Optional<TodoItem> find(String list, String id) {
        return shared.find(scoped(list), id).map(this::unscoped);
    }

    @Override
    public List<TodoItem> list(String list, TodoStatus status, int limit) {
        List<TodoItem> items = shared.list(scoped(list), status, limit);
        List<TodoItem> result = new ArrayList<>(items.size());
        items.forEach(item -> result.add(unscoped(item)));
        return result;
    }

    @Override
    public boolean retry(String list, String id) {
        return shared.retry(scoped(list), id);
    }

    @Override
    public boolean delete(String list, String id) {
        return shared.delete(scoped(list), id);
    }
}
