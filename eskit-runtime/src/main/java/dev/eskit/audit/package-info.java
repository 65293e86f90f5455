/**
 * The audit log: who appended what, when, read from the metadata every event carries (initiator, originator,
 * correlation and causation ids). See {@code docs/audit.md}.
 */
package dev.eskit.audit;
