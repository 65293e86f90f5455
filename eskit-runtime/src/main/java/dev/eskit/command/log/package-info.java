/**
 * The command log: a record of every command a {@link dev.eskit.command.CommandBus} handled (what was asked, by whom,
 * the outcome, the events it appended, how long it took). Off by default; turn it on with
 * {@code CommandBus.builder(store).commandLog(CommandRecorder.of(log, types))}. See {@code docs/commands.md}.
 */
package dev.eskit.command.log;
