package dev.eskit;

/**
 * What an append expects of the stream it writes to. Stream versions start at 1 for the first event; a stream
 * without events is at version 0.
 */
public sealed interface ExpectedVersion {

    /** The stream must be exactly at {@code version} ({@code exactly(0)} is the same as {@link #noStream()}). */
    static ExpectedVersion exactly(long version) {
        return version == 0 ? NoStream.INSTANCE : new Exactly(version);
    }

    /** The stream must not have any events yet. */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /** Append whatever the stream's version is. Concurrent {@code any()} appends never conflict. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /**
     * Whether a stream at {@code currentVersion} satisfies this expectation.
     */
    boolean matches(long currentVersion);

    /** The stream must be at this version. */
    record Exactly(long version) implements ExpectedVersion {
        /** Validates the version. */
        public Exactly {
            if (version < 0) {
                throw new InvalidInputException("Expected version " + version
                        + " is negative. Use exactly(n) with n >= 0, noStream() or any().");
            }
        }

        @Override
        public boolean matches(long currentVersion) {
            return currentVersion == version;
        }

        @Override
        public String toString() {
            return "version " + version;
        }
    }

    /** The stream must be empty. */
    enum NoStream implements ExpectedVersion {
        /** The only value. */
        INSTANCE;

        @Override
        public boolean matches(long currentVersion) {
            return currentVersion == 0;
        }

        @Override
        public String toString() {
            return "no stream (version 0)";
        }
    }

    /** Any version. */
    enum Any implements ExpectedVersion {
        /** The only value. */
        INSTANCE;

        @Override
        public boolean matches(long currentVersion) {
            return true;
        }

        @Override
        public String toString() {
            return "any version";
        }
    }
}
