package dev.eskit.projection.rebuild;

/** Where a {@link RebuildRequest} stands. */
public enum RebuildState {
    /** Asked for (by {@code eskit projections rebuild --shadow}), not yet claimed by a node. */
    REQUESTED,
    /** A node claimed it and runs the {@link ShadowRebuild}; another node takes it over when its lease runs out. */
    RUNNING,
    /** The shadow tables were swapped in. */
    DONE,
    /** The rebuild failed before the swap; the live tables are unchanged. */
    FAILED
}
