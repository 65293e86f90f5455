package dev.eskit;

/** Metadata with more than {@link Limits#MAX_METADATA_ENTRIES} extra entries or more than {@link Limits#MAX_METADATA_BYTES}. */
public final class MetadataTooLargeException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public MetadataTooLargeException(String message) {
        super(message);
    }
}
