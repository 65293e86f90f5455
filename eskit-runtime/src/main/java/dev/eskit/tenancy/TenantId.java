package dev.eskit.tenancy;

import java.util.regex.Pattern;

/**
 * A validated tenant id: 1 to 63 characters of lower-case ASCII letters, digits, {@code -} and {@code _}, starting with
 * a letter or digit. The rules keep every separator eskit uses ({@code ::}, {@code /}, {@code .}) and every
 * look-alike (upper case, unicode) out of tenant ids, so a tenant id can never be forged from a stream type or id.
 *
 * <p>The constructor throws {@link InvalidTenantException} when {@code value} breaks the rules.
 *
 * @param value the id, such as {@code "acme"}
 */
public record TenantId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** Validates the id. */
    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            String shown = value == null ? "null" : "\"" + (value.length() > 40 ? value.substring(0, 40) + "..."
                    : value).replace("\0", "\\0") + "\"";
            throw new InvalidTenantException("Tenant id " + shown + " is not allowed. Use 1 to 63 characters of"
                    + " lower-case letters, digits, '-' and '_', starting with a letter or digit, such as \"acme\".");
        }
    }

    /** Shorthand for {@code new TenantId(value)}. */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
