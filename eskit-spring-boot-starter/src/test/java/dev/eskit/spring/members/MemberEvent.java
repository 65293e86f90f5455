package dev.eskit.spring.members;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;
import dev.eskit.annotations.StreamId;

/** A test domain with personal data (wire names "members.*"), compiled by the eskit processor. */
public sealed interface MemberEvent {

    /** A member joined; {@code email} is personal data of {@code memberId}. */
    @Event
    record Joined(@StreamId @DataSubject String memberId, @PersonalData String email) implements MemberEvent {
    }
}
