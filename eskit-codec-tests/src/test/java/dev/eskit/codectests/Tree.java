package dev.eskit.codectests;

import dev.eskit.annotations.Event;
import java.util.List;
import java.util.Optional;

/** A recursive event: a node holds nodes. */
@Event(name = "codec.Tree")
public record Tree(String label, List<Tree> children, Optional<Tree> parent) {
}
