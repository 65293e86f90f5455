/**
 * Command handling: load a stream, fold it, decide, append with the loaded version; retries, middleware, routing.
 */
package dev.eskit.command;
