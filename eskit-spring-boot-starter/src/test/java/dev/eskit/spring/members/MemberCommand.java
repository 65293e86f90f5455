package dev.eskit.spring.members;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.PersonalData;
import dev.eskit.annotations.StreamId;

/** Commands of the test domain. */
public sealed interface MemberCommand {

    /** Join with an e-mail address, personal data of {@code memberId}. */
    record Join(@StreamId @DataSubject String memberId, @PersonalData String email) implements MemberCommand {
    }
}
