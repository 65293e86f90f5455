package dev.eskit.gdpr;

import dev.eskit.todo.TodoClaim;
import dev.eskit.todo.TodoItem;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A todo store whose items can carry personal data of a data subject ({@link #add(String, String, String, String)}):
 * such a payload is stored sealed under the subject's key ({@link PersonalDataProtector#seal}), handed to readers and
 * workers opened (its text, or {@code "[erased]"} once the subject is forgotten), and a failure of such an item keeps
 * only the exception class, never the message (which may quote the opened text). Items added without a subject are
 * stored as they are. Made by {@link PersonalDataProtector#todos}.
 *
 * <pre>{@code
 * TodoStore todos = protector.todos(JdbiTodoStore.create(jdbi, store));
 * todos.add("mail", "welcome-42", "customer-42", "ann@example.com");   // sealed under customer-42's key
 * }</pre>
 */
public final class PersonalTodoStore implements TodoStore {

    private static final String SEALED = "eskit:pd:";

    private final TodoStore store;
    private final PersonalDataProtector protector;

    PersonalTodoStore(TodoStore store, PersonalDataProtector protector) {
        this.store = Objects.requireNonNull(store, "store");
        this.protector = protector;
    }

    /** The store underneath (items as stored: sealed payloads). */
    public TodoStore delegate() {
        return store;
    }

    /** Adds an item whose payload is not personal data, as it is. */
    @Override
    public boolean add(String list, String id, String payload) {
        return store.add(list, id, payload);
    }

    /**
     * Adds an item whose payload is personal data of {@code subjectId}: stored sealed under the subject's key.
     *
     * @return whether it was added
     */
    public boolean add(String list, String id, String subjectId, String payload) {
        return store.add(list, id, TodoItem.checkPayload(protector.seal(subjectId, TodoItem.checkPayload(payload))));
    }

    private TodoItem opened(TodoItem item) {
        if (!item.payload().startsWith(SEALED)) {
            return item;
        }
        return new TodoItem(item.list(), item.id(), protector.open(item.payload()), item.status(), item.attempts(),
                item.availableAt(), item.lastError(), item.createdAt());
    }

    private TodoClaim opened(TodoClaim claim) {
        return new TodoClaim(opened(claim.item()), claim.worker(), claim.token(), claim.leaseUntil());
    }

    @Override
    public List<TodoClaim> claim(String list, String worker, int max, Duration lease) {
        return store.claim(list, worker, max, lease).stream().map(this::opened).toList();
    }

    @Override
    public boolean complete(TodoClaim claim) {
        return store.complete(claim);
    }

    @Override
    public boolean fail(TodoClaim claim, String error, Instant retryAt) {
        String stored = store.find(claim.item().list(), claim.item().id()).map(TodoItem::payload).orElse("");
        return store.fail(claim, PersonalDataProtector.redactTodoError(stored, error), retryAt);
    }

    @Override
    public Optional<TodoItem> find(String list, String id) {
        return store.find(list, id).map(this::opened);
    }

    @Override
    public List<TodoItem> list(String list, TodoStatus status, int limit) {
        return store.list(list, status, limit).stream().map(this::opened).toList();
    }

    @Override
    public boolean retry(String list, String id) {
        return store.retry(list, id);
    }

    @Override
    public boolean delete(String list, String id) {
        return store.delete(list, id);
    }
}
