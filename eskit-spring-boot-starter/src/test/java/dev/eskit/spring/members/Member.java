package dev.eskit.spring.members;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;

/** The member decider: a member joins once. */
@Decider(stream = "member")
final class Member {

    @InitialState
    static Boolean initial() {
        return Boolean.FALSE;
    }

    @Decide
    static MemberEvent.Joined decide(Boolean joined, MemberCommand.Join command) {
        if (joined) {
            throw new IllegalStateException("Member " + command.memberId() + " joined already.");
        }
        return new MemberEvent.Joined(command.memberId(), command.email());
    }

    @Evolve
    static Boolean evolve(Boolean joined, MemberEvent.Joined event) {
        return Boolean.TRUE;
    }
}
