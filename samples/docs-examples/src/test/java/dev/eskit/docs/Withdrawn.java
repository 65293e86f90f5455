package dev.eskit.docs;

/** The {@code bank.Withdrawn} event the guide's examples use. */
record Withdrawn(String accountId, long amountCents) {
}
