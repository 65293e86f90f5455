/**
 * Hooks and middleware: before-append hooks that can reject an append, after-append hooks that observe it,
 * command middleware for logging, retries and single-writer streams, and error policies for projections.
 */
package dev.eskit.hooks;
