package dev.eskit.command;

/**
 * What a command handler's state cache holds and has done since the handler was built (see
 * {@link CommandHandler.Builder#cacheStates(int)}); {@link CommandHandler#stateCache()} and
 * {@link CommandBus#stateCaches()} take it, eskit-observability publishes it as metrics.
 *
 * <p>Hits and misses count the times a command looked for its stream's state, which may be more than once per command:
 * a command decided on a cached state whose append then found the stream moved on ({@code movedOn}) looks again, and
 * folds only the events after the cached version (a second hit).
 *
 * @param maxStreams how many streams the cache keeps at most
 * @param streams    how many it keeps now
 * @param hits       times a command's state came from the cache: decided on as it was, or with only the events after
 *                   it read and folded
 * @param misses     times a command's state was folded without the cache: no entry for the stream (new, evicted, or
 *                   dropped after a failure), or its entry no longer matched the stream (deleted and written again)
 * @param movedOn    warm appends that wrote nothing because the stream's last event was no longer the cached one
 *                   (another node or handler wrote to it); each was read and decided again
 * @param evictions  entries dropped to make room for another stream
 */
public record StateCacheStats(int maxStreams, int streams, long hits, long misses, long movedOn, long evictions) {

    /** The share of lookups that were hits, from 0 to 1; 0 before the first lookup. */
    public double hitRatio() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }

    /** The sum of this and {@code other}: the caches of several handlers taken together. */
    public StateCacheStats plus(StateCacheStats other) {
        return new StateCacheStats(maxStreams + other.maxStreams, streams + other.streams, hits + other.hits,
                misses + other.misses, movedOn + other.movedOn, evictions + other.evictions);
    }
}
