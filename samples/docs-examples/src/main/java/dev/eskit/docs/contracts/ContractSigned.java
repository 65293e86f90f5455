package dev.eskit.docs.contracts;

import dev.eskit.annotations.Event;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A contract was signed: an event with {@code java.time} components (docs/concepts.md, "java.time in events").
 *
 * @param contractId the contract
 * @param signedAt   the moment the customer signed, a fact of the domain
 * @param startsOn   the first day the contract applies
 */
@Event
public record ContractSigned(String contractId, Instant signedAt, LocalDate startsOn) {
}
