package dev.eskit.cli;

import dev.eskit.jdbi.JdbiSchema;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.jdbi.EventRecoder;
import dev.eskit.jdbi.JdbiEventStore;
import java.io.PrintWriter;

/**
 * {@code eskit migrate --recode-to json|cbor --to URL}: converts the event data of a store in place with
 * {@link EventRecoder}, in batches of one transaction each; a rerun continues with the rows left. The application's
 * event types (its {@code --app-classpath}) decode and encode the rows.
 */
final class Recoding {

    private Recoding() {
    }

    /** Recodes {@code command}'s target store to {@code command.recodeTo}; returns the exit code. */
    static int run(MigrateCommand command, PrintWriter out, PrintWriter err) {
        String format = command.recodeTo;
        if (!format.equals(EncodedEvent.JSON) && !format.equals(EncodedEvent.CBOR)) {
            throw new CliException(ExitCodes.USAGE, "--recode-to " + format + " is not a format. Use json or cbor.");
        }
        if (command.from != null || command.checkpoint != null || command.verify) {
            throw new CliException(ExitCodes.USAGE, "--recode-to converts the store given with --to in place;"
                    + " drop --from, --checkpoint and --verify (a rerun continues with the rows left). To copy and"
                    + " convert, migrate first, then run --recode-to on the target.");
        }
        if (JdbiSchema.databaseOfUrl(command.to).filter("SQLite"::equals).isPresent()) {
            java.nio.file.Path file = StoreOptions.sqliteFile(command.to);
            if (file != null && !java.nio.file.Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.NO_STORE, "There is no SQLite database at " + file.toAbsolutePath()
                        + " to recode. Check the path in " + StoreOptions.redact(command.to) + ".");
            }
        }
        // Opened with auto-migration: the codec column (schema version 5) records each row's format.
        try (JdbiEventStore store = StoreOptions.open(command.to, command.toSchema, command.toPrefix, true, false,
                StoreOptions.eventTypes(command.appClasspath))) {
            Views views = new Views(store.codec());
            EventRecoder recoder = store.recoder();
            long remaining = recoder.remaining(format);
            ObjectNode summary = views.mapper().createObjectNode();
            summary.put("store", StoreOptions.redact(command.to));
            summary.put("recodeTo", format);
            if (command.dryRun) {
                summary.put("dryRun", true);
                summary.put("wouldRecode", remaining);
                return report(command, out, views, summary, "dry run: would recode " + remaining + " events to "
                        + format);
            }
            long[] done = {0};
            long recoded;
            try {
                recoded = recoder.recodeAll(format, command.batchSize, batch -> {
                    done[0] += batch.recoded();
                    err.printf("eskit migrate: recoded %d of %d events to %s (%d%%)%n", done[0], remaining, format,
                            remaining == 0 ? 100 : done[0] * 100 / remaining);
                    err.flush();
                });
            } catch (UnknownEventTypeException e) {
                throw new CliException(ExitCodes.DATABASE, Text.error(e.getMessage()) + " Recoding needs every"
                        + " event type: give the application's jars with --app-classpath. Batches before this one"
                        + " are converted; rerun to continue.", e);
            } catch (EventDecodingException e) {
                throw new CliException(ExitCodes.DATABASE, Text.error(e.getMessage()) + " Batches before this one"
                        + " are converted; repair the event and rerun to continue.", e);
            }
            summary.put("recoded", recoded);
            summary.put("left", recoder.remaining(format));
            return report(command, out, views, summary, "recoded " + recoded + " events to " + format);
        }
    }

    private static int report(MigrateCommand command, PrintWriter out, Views views, ObjectNode summary,
                              String text) {
        if (command.output.json) {
            views.print(out, summary);
        } else {
            out.println(text);
            out.flush();
        }
        return ExitCodes.OK;
    }
}
