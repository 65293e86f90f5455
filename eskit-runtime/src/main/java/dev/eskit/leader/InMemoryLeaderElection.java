package dev.eskit.leader;

import dev.eskit.Names;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Leader election among the callers of one JVM: the first {@link #tryAcquire} of a name wins until it is closed or
 * {@link #revoke revoked}. For tests and single-process applications.
 */
public final class InMemoryLeaderElection implements LeaderElection {

    private final ConcurrentMap<String, Held> holders = new ConcurrentHashMap<>();

    InMemoryLeaderElection() {
    }

    @Override
    public Optional<Leadership> tryAcquire(String name) {
        Held candidate = new Held(Names.check("Leadership name", name));
        return holders.putIfAbsent(name, candidate) == null ? Optional.of(candidate) : Optional.empty();
    }

    /**
     * Takes the leadership of {@code name} away from its holder, as a dropped database connection would; its
     * {@link Leadership#isHeld()} turns {@code false} and another caller can acquire it.
     *
     * @return whether someone held it
     */
    public boolean revoke(String name) {
        Held held = holders.remove(Names.check("Leadership name", name));
        if (held == null) {
            return false;
        }
        held.lost = true;
        return true;
    }

    /** Whether anyone holds {@code name}. */
    public boolean isTaken(String name) {
        return holders.containsKey(Names.check("Leadership name", name));
    }

    @Override
    public void close() {
        holders.values().forEach(Held::close);
    }

    private final class Held implements Leadership {
        private final String name;
        private volatile boolean lost;

        Held(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            return !lost && holders.get(name) == this;
        }

        @Override
        public void close() {
            lost = true;
            holders.remove(name, this);
        }

        @Override
        public String toString() {
            return "Leadership[" + name + (isHeld() ? ", held]" : ", lost]");
        }
    }
}
