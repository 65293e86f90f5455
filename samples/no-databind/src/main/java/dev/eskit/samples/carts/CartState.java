package dev.eskit.samples.carts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A cart: open with its items, or paid. Snapshots store it through its generated codec. */
public sealed interface CartState {

    /** Open, with quantities by SKU and the running total. */
    record Open(Map<String, Integer> items, BigDecimal total) implements CartState {
    }

    /** Paid. */
    record Paid(Instant at, BigDecimal total) implements CartState {
    }
}
