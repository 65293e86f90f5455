package dev.eskit.docs.gdpr;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;

/** docs/gdpr.md, "Marking personal data": the personal field belongs to the friend. */
@Event
record ReferralMade(String customerId, String friendId,
                    @PersonalData(subject = "friendId") String friendEmail) implements CustomerEvent {}
