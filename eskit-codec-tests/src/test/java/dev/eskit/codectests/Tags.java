package dev.eskit.codectests;

import java.util.Set;

/** A record holding a set. */
public record Tags(Set<String> names) {
}
