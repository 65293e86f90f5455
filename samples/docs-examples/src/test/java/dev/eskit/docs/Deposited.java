package dev.eskit.docs;

/** The {@code bank.Deposited} event the guide's examples use. */
record Deposited(String accountId, long amountCents) {
}
