package dev.eskit.todo;

import dev.eskit.Names;
import java.time.Instant;
import java.util.Objects;

/**
 * One unit of work in a todo list: what to do ({@code payload}, in whatever format the processor reads, often JSON)
 * and how it is going.
 *
 * @param list        the todo list's name
 * @param id          the item's id, unique within its list (adding it twice adds it once)
 * @param payload     what to do
 * @param status      where it is in its life
 * @param attempts    how many times it has been claimed
 * @param availableAt when it may be claimed (next); for a claimed item, when its lease ends
 * @param lastError   the last failure, or {@code null}
 * @param createdAt   when it was added
 */
public record TodoItem(String list, String id, String payload, TodoStatus status, int attempts, Instant availableAt,
                       String lastError, Instant createdAt) {

    /** The longest payload, in characters. */
    public static final int MAX_PAYLOAD_LENGTH = 64 * 1024;

    /** Checks the values. */
    public TodoItem {
        Names.check("Todo list name", list);
        Names.check("Todo item id", id);
        checkPayload(payload);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(availableAt, "availableAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Checks a payload: not {@code null}, at most {@link #MAX_PAYLOAD_LENGTH} characters. For store implementations. */
    public static String checkPayload(String payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length() > MAX_PAYLOAD_LENGTH) {
            throw new dev.eskit.InvalidInputException("Todo payload is " + payload.length()
                    + " characters, more than the limit of " + MAX_PAYLOAD_LENGTH
                    + ". Store bulky data elsewhere and put its id in the payload.");
        }
        return payload;
    }
}
