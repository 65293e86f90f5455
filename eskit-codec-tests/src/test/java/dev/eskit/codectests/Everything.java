package dev.eskit.codectests;

import dev.eskit.annotations.Event;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/** One event with a property of every type generated codecs support. */
@Event(name = "codec.Everything")
public record Everything(boolean flag, byte tiny, short small, int count, long big, float ratio, double amount,
                         char letter, Boolean flagBox, Byte tinyBox, Short smallBox, Integer countBox, Long bigBox,
                         Float ratioBox, Double amountBox, Character letterBox, String text, BigDecimal price,
                         BigInteger huge, Color color, UUID id, Instant at, LocalDate day, LocalTime time,
                         LocalDateTime local, OffsetDateTime offset, ZonedDateTime zoned, Duration took,
                         Period span, Optional<String> note, Optional<Money> tip, List<Money> lines, Tags tags,
                         Map<String, Money> byName, Money money, Shape shape, List<Shape> shapes, byte[] blob,
                         List<List<Integer>> grid, Map<String, List<Color>> palettes, Money[] history) {

    private static java.util.Set<String> sorted(java.util.Set<String> names) {
        java.util.Set<String> sorted = new TreeSet<>(java.util.Comparator.nullsFirst(
                java.util.Comparator.<String>naturalOrder()));
        sorted.addAll(names);
        return sorted;
    }

    /** This event with its set in sorted order (databind reads sets into a HashSet), for comparisons. */
    public Everything sortedSets() {
        return new Everything(flag, tiny, small, count, big, ratio, amount, letter, flagBox, tinyBox, smallBox,
                countBox, bigBox, ratioBox, amountBox, letterBox, text, price, huge, color, id, at, day, time, local,
                offset, zoned, took, span, note, tip, lines,
                tags == null || tags.names() == null ? tags : new Tags(sorted(tags.names())), byName, money,
                shape, shapes, blob, grid, palettes, history);
    }
}
