/**
 * The durable command queue: {@link dev.eskit.command.queue.CommandQueue#enqueue enqueue} a command and get its id at
 * once; workers on any node claim it with a lease, run it through the {@link dev.eskit.command.CommandBus}, and record
 * the outcome. At-least-once delivery, exactly-once effect (the command id is the idempotency key of its append).
 * See {@code docs/commands.md}.
 */
package dev.eskit.command.queue;
