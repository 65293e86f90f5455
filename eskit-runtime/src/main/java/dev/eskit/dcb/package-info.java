/**
 * Dynamic Consistency Boundaries: tags on events, queries by type and tag, and appends on the condition that nothing
 * matching a query arrived after a position. See {@code docs/dcb.md}.
 */
package dev.eskit.dcb;
