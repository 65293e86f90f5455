package dev.eskit.todo;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A worker's claim on a {@link TodoItem}, valid until {@code leaseUntil}. Completing or failing the item needs the
 * claim's {@code token}: once the lease has ended and another worker has claimed the item, the old claim is void.
 *
 * @param item       the item as claimed (status {@link TodoStatus#CLAIMED}, attempts already counted)
 * @param worker     who claimed it
 * @param token      this claim's identity
 * @param leaseUntil when the claim ends unless the item is completed or failed first
 */
public record TodoClaim(TodoItem item, String worker, UUID token, Instant leaseUntil) {

    /** Checks that nothing is missing. */
    public TodoClaim {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
    }
}
