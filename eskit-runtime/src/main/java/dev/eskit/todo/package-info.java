/**
 * Todo lists: work items claimed by workers with leases, attempts, backoff and a dead state
 * ({@link dev.eskit.todo.TodoStore}, {@link dev.eskit.todo.TodoProcessor}). See {@code docs/subscriptions.md}.
 */
package dev.eskit.todo;
