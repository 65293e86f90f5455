package dev.eskit.testlog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.event.Level;

/**
 * Captures what one SLF4J logger writes at a level or above while it is open, through the test class path's own SLF4J
 * provider ({@link CapturingProvider}). Everything not captured is dropped, as slf4j-nop would.
 *
 * <pre>{@code
 * try (LogCapture warnings = LogCapture.start(CommandHandler.class, Level.WARN)) {
 *     ...
 *     assertEquals(1, warnings.messages().size());
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    /** One captured call: its level, the formatted message and the throwable passed, if any. */
    public record Entry(Level level, String message, Throwable throwable) {
    }

    static final List<LogCapture> ACTIVE = new CopyOnWriteArrayList<>();

    private final String logger;
    private final Level threshold;
    private final List<Entry> entries = new ArrayList<>();

    private LogCapture(String logger, Level threshold) {
        this.logger = logger;
        this.threshold = threshold;
    }

    /** Starts capturing the logger named after {@code type} at {@code threshold} and above. */
    public static LogCapture start(Class<?> type, Level threshold) {
        LogCapture capture = new LogCapture(type.getName(), threshold);
        ACTIVE.add(capture);
        return capture;
    }

    /** Whether this capture takes a call at {@code level} on logger {@code name}. */
    boolean takes(String name, Level level) {
        return logger.equals(name) && level.toInt() >= threshold.toInt();
    }

    synchronized void add(Entry entry) {
        entries.add(entry);
    }

    /** What was captured so far. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The formatted messages captured so far. */
    public synchronized List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    @Override
    public void close() {
        ACTIVE.remove(this);
    }
}
