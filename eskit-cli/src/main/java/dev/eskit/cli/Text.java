package dev.eskit.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes stored values and error messages safe to print on a terminal: control characters (terminal escapes, CR, LF,
 * tabs), lone surrogates, Unicode line separators and bidirectional formatting characters are shown as {@code \\uXXXX}, so a stream id can neither fake rows
 * nor drive the terminal; error messages are cut to their first line, without SQL and bounded in length.
 */
final class Text {

    /** The longest error message printed; the rest is cut (ESKIT_DEBUG=1 prints the stack trace). */
    static final int MAX_ERROR = 600;

    private Text() {
    }

    /**
     * The instant an option names: an ISO-8601 instant ({@code 2026-01-01T00:00:00Z}) or an age before now
     * ({@code 90s}, {@code 90m}, {@code 2h}, {@code 7d}); {@code null} stays {@code null}.
     *
     * @throws CliException (usage) for anything else, naming the option and showing the value escaped
     */
    static Instant when(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.matches("\\d{1,12}[smhd]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                Duration age = switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                return Instant.now().minus(age);
            }
            return Instant.parse(value);
        } catch (DateTimeException | ArithmeticException e) {
            throw new CliException(ExitCodes.USAGE, option + " \"" + safe(value) + "\" is neither an instant such as"
                    + " 2026-01-01T00:00:00Z nor an age such as 90m, 2h or 7d.", e);
        }
    }

    /** {@code value} with every character a terminal would act on escaped; {@code null} as {@code "null"}. */
    static String safe(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || bidiControl(c)
                    || Character.isSurrogate(c) && !validPair(text, i);
            if (escape) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Marks, embeddings, overrides and isolates: they change the order a terminal shows the text in. */
    private static boolean bidiControl(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /**
     * An error message fit to print: SQL statements and bound arguments that drivers and Jdbi append are dropped,
     * passwords in URLs hidden, control characters escaped, and the length bounded.
     */
    static String error(String message) {
        if (message == null) {
            return "unknown error";
        }
        // PostgreSQL's batch errors quote the whole statement with its values: keep only the cause.
        String text = message.replaceAll("(?s)Batch entry \\d+ .*? was aborted: ?", "")
                .replaceAll("(?s) ?Call getNextException to see other errors in the batch\\.?", "");
        for (String marker : new String[] {" [statement:", "\n  Detail:", "\n  Where:", "\n  Position:",
                "\n"}) {
            int at = text.indexOf(marker);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        text = safe(StoreOptions.redact(text));
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "... (cut; set ESKIT_DEBUG=1 for details)"
                : text;
    }
}
