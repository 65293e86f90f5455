package dev.eskit.command;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where one command class goes: the decider that handles it, the stream type, and how to read the stream id from
 * the command. The annotation processor generates the routes of every {@code @Decider} ({@code AccountDecider.routes()}).
 *
 * <pre>{@code
 * CommandRoute<AccountState, AccountCommand, AccountEvent> deposit =
 *     CommandRoute.of(Deposit.class, "account", Deposit::accountId, accountDecider);
 * }</pre>
 *
 * @param commandType the exact command class
 * @param streamType  the stream type of the decider
 * @param streamId    reads the stream id from a command
 * @param decider     the decider that decides the command
 * @param <S>         the state type
 * @param <C>         the decider's command type
 * @param <E>         the event type
 */
public record CommandRoute<S, C, E>(Class<? extends C> commandType, String streamType,
                                    Function<Object, String> streamId, dev.eskit.Decider<S, C, E> decider) {

    /** Checks that nothing is missing. */
    public CommandRoute {
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(decider, "decider");
    }

    /** A route for {@code commandType}, reading the stream id with {@code streamId}. */
    public static <S, C, E, K extends C> CommandRoute<S, C, E> of(Class<K> commandType, String streamType,
                                                                  Function<? super K, String> streamId,
                                                                  dev.eskit.Decider<S, C, E> decider) {
        Objects.requireNonNull(streamId, "streamId");
        return new CommandRoute<>(commandType, streamType, command -> streamId.apply(commandType.cast(command)),
                decider);
    }
}
