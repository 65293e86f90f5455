package dev.eskit.cli;

/** A failure the tool reports as one line on stderr with an {@link ExitCodes exit code}. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with {@code exitCode} and a message that says what to do. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure with a cause. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code, one of {@link ExitCodes}. */
    public int exitCode() {
        return exitCode;
    }
}
