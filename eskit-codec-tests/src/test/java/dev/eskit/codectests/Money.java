package dev.eskit.codectests;

import java.math.BigDecimal;

/** A nested record. */
public record Money(BigDecimal amount, String currency) {
}
