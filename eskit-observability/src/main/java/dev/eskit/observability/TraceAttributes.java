package dev.eskit.observability;

import dev.eskit.Metadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/** The span attribute names eskit sets; stable, documented in {@code docs/observability.md}. */
public final class TraceAttributes {

    /** The stream type. */
    public static final AttributeKey<String> STREAM_TYPE = AttributeKey.stringKey("eskit.stream.type");
    /** The stream id. */
    public static final AttributeKey<String> STREAM_ID = AttributeKey.stringKey("eskit.stream.id");
    /** Events in the append, or appended by the command. */
    public static final AttributeKey<Long> EVENT_COUNT = AttributeKey.longKey("eskit.events.count");
    /** The stream's version afterwards. */
    public static final AttributeKey<Long> STREAM_VERSION = AttributeKey.longKey("eskit.stream.version");
    /** Whether the append was an idempotent duplicate. */
    public static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("eskit.append.duplicate");
    /**
     * On an append at a known last event ({@link dev.eskit.store.HeadAppender}): whether the stream was elsewhere, so
     * nothing was written.
     */
    public static final AttributeKey<Boolean> HEAD_MISSED = AttributeKey.booleanKey("eskit.append.head_missed");
    /** The command's class name. */
    public static final AttributeKey<String> COMMAND = AttributeKey.stringKey("eskit.command");
    /** The command id. */
    public static final AttributeKey<String> COMMAND_ID = AttributeKey.stringKey("eskit.command.id");
    /** The correlation id. */
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("eskit.correlation_id");
    /** The causation id. */
    public static final AttributeKey<String> CAUSATION_ID = AttributeKey.stringKey("eskit.causation_id");

    private TraceAttributes() {
    }

    static void metadata(Span span, Metadata metadata) {
        if (metadata.correlationId() != null) {
            span.setAttribute(CORRELATION_ID, metadata.correlationId());
        }
        if (metadata.causationId() != null) {
            span.setAttribute(CAUSATION_ID, metadata.causationId());
        }
    }
}
