package dev.eskit.dcb;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.internal.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A DCB append checked and resolved before any lock is taken, for store implementations: the stream append it
 * becomes (a new stream of type {@link DcbEventStore#DCB_STREAM_TYPE}, or {@code <tenant>::dcb} for a tenant's append,
 * see {@link dev.eskit.tenancy.TenantScope#dcbStreamType}) and every event's tags.
 *
 * @param request the stream append, with the unwrapped event objects
 * @param tags    per event, its {@code @Tag} tags and explicit tags, sorted and without duplicates
 */
public record PreparedDcbAppend(AppendRequest request, List<List<Tag>> tags) {

    /** Copies the lists. */
    public PreparedDcbAppend {
        Objects.requireNonNull(request, "request");
        tags = List.copyOf(tags);
    }

    /**
     * Validates {@code events} (as a stream append would), resolves their types and collects their tags.
     *
     * @throws dev.eskit.InvalidInputException when the batch breaks a bound
     * @throws UnknownEventTypeException      when an event's class is not registered
     */
    public static PreparedDcbAppend prepare(EventTypes types, List<?> events, Metadata metadata) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(metadata, "metadata");
        List<Object> plain = new ArrayList<>(events.size());
        List<List<Tag>> tags = new ArrayList<>(events.size());
        for (Object element : events) {
            if (element == null) {
                plain.add(null); // AppendRequest reports the null with its index
                tags.add(List.of());
                continue;
            }
            TaggedEvent tagged = TaggedEvent.wrap(element);
            plain.add(tagged.event());
            tags.add(tags(types, tagged.event(), tagged.tags()));
        }
        StreamRef stream = StreamRef.of(dev.eskit.tenancy.TenantScope.dcbStreamType(metadata),
                Ids.timeOrdered().toString());
        AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), plain).withMetadata(metadata);
        return new PreparedDcbAppend(request, tags);
    }

    /** The tags of {@code event} by its type's extractor, plus {@code explicit}, sorted and without duplicates. */
    public static List<Tag> tags(EventTypes types, Object event, List<Tag> explicit) {
        EventType<?> type = types.byClass(event.getClass());
        List<Tag> extracted = type.tagsOf(event);
        if (explicit.isEmpty() && extracted.size() <= 1) {
            return extracted;
        }
        TreeSet<Tag> all = new TreeSet<>(extracted);
        all.addAll(explicit);
        return List.copyOf(all);
    }
}
