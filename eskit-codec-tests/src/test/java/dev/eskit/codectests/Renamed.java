package dev.eskit.codectests;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.eskit.annotations.Event;

/** {@code @JsonProperty} names are kept, as databind keeps them. */
@Event(name = "codec.Renamed", version = 2)
public record Renamed(@JsonProperty("account_id") String accountId, long cents, String reason) {
}
