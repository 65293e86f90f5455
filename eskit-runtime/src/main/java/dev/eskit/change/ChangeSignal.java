package dev.eskit.change;

import dev.eskit.Position;

/**
 * What a {@link ChangeSubscription} delivers: a {@link Change} of a read model, or a {@link Resync} telling the
 * subscriber that it missed changes and should reload what it shows.
 */
public sealed interface ChangeSignal permits Change, Resync {

    /** The log position the signal refers to. */
    Position position();
}
