package dev.eskit.codectests;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random values of every supported type, for the property-based wire tests. */
final class Values {

    private static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe");
    private static final Arbitrary<String> TEXT = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
            .ofMaxLength(12);

    private final Random random;

    private Values(Random random) {
        this.random = random;
    }

    /** Events with every property random (nulls included where the type allows them). */
    static Arbitrary<Everything> everything() {
        return Arbitraries.randomValue(random -> new Values(random).next());
    }

    private Everything next() {
        return new Everything(random.nextBoolean(), (byte) random.nextInt(), (short) random.nextInt(),
                random.nextInt(), random.nextLong(), nextFloat(), nextDouble(), nextChar(),
                orNull(Random::nextBoolean), orNull(r -> (byte) r.nextInt()), orNull(r -> (short) r.nextInt()),
                orNull(Random::nextInt), orNull(Random::nextLong), orNull(r -> nextFloat()), orNull(r -> nextDouble()),
                orNull(r -> nextChar()), orNull(r -> text()), orNull(r -> decimal()),
                orNull(r -> new BigInteger(r.nextInt(200) + 1, r).subtract(BigInteger.TEN.pow(20))),
                orNull(r -> Color.values()[r.nextInt(3)]), orNull(r -> new UUID(r.nextLong(), r.nextLong())),
                orNull(r -> instant()), orNull(r -> LocalDate.ofEpochDay(r.nextInt(200_000) - 100_000)),
                orNull(r -> LocalTime.ofNanoOfDay(Math.floorMod(r.nextLong(), 86_400_000_000_000L))),
                orNull(r -> LocalDateTime.ofInstant(instant(), ZoneOffset.UTC)),
                orNull(r -> OffsetDateTime.ofInstant(instant(), ZoneOffset.ofTotalSeconds(900 * (r.nextInt(97) - 48)))),
                orNull(r -> ZonedDateTime.ofInstant(instant(), ZoneId.of(ZONES.get(r.nextInt(ZONES.size()))))),
                orNull(r -> Duration.ofSeconds(r.nextLong() % 10_000_000_000L, r.nextInt(1_000_000_000))),
                orNull(r -> Period.of(r.nextInt(200) - 100, r.nextInt(30) - 15, r.nextInt(60) - 30)),
                Optional.ofNullable(orNull(r -> text())), Optional.ofNullable(orNull(r -> money())),
                orNull(r -> list(this::money)), orNull(r -> new Tags(orNull(x -> new LinkedHashSet<>(list(this::text))))),
                orNull(r -> map(this::money)), orNull(r -> money()), orNull(r -> shape()), orNull(r -> list(this::shape)),
                orNull(r -> bytes()), orNull(r -> list(() -> list(() -> orNull(Random::nextInt)))),
                orNull(r -> map(() -> list(() -> Color.values()[random.nextInt(3)]))),
                orNull(r -> list(this::money).toArray(new Money[0])));
    }

    private <T> T orNull(Function<Random, T> value) {
        return random.nextInt(8) == 0 ? null : value.apply(random);
    }

    private String text() {
        return TEXT.generator(100).next(random).value();
    }

    private char nextChar() {
        return (char) random.nextInt(0xD800);
    }

    private float nextFloat() {
        return switch (random.nextInt(12)) {
            case 0 -> Float.NaN;
            case 1 -> Float.NEGATIVE_INFINITY;
            case 2 -> -0.0f;
            case 3 -> Float.MIN_VALUE;
            default -> Float.intBitsToFloat(random.nextInt()) % 1e12f;
        };
    }

    private double nextDouble() {
        return switch (random.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.MAX_VALUE;
            case 3 -> -0.0;
            default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    private BigDecimal decimal() {
        return new BigDecimal(new BigInteger(random.nextInt(120) + 1, random).subtract(BigInteger.TEN.pow(15)),
                random.nextInt(20) - 5);
    }

    private Instant instant() {
        return Instant.ofEpochSecond(random.nextLong() % 4_000_000_000L,
                random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
    }

    private Money money() {
        return new Money(orNull(r -> decimal()), orNull(r -> text()));
    }

    private Shape shape() {
        return switch (random.nextInt(3)) {
            case 0 -> new Shape.Circle(nextDouble());
            case 1 -> new Shape.Square(orNull(r -> money()), random.nextInt());
            default -> new Shape.Empty();
        };
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }

    private <T> List<T> list(java.util.function.Supplier<T> element) {
        List<T> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            list.add(random.nextInt(10) == 0 ? null : element.get());
        }
        return list;
    }

    private <T> Map<String, T> map(java.util.function.Supplier<T> value) {
        Map<String, T> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            map.put(text(), random.nextInt(10) == 0 ? null : value.get());
        }
        return map;
    }
}
