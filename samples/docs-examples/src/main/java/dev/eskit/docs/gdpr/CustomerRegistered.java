package dev.eskit.docs.gdpr;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;
import dev.eskit.annotations.StreamId;

/** docs/gdpr.md, "Marking personal data". */
@Event
record CustomerRegistered(@StreamId @DataSubject String customerId,
                          @PersonalData String email,
                          @PersonalData String name,
                          @PersonalData Integer birthYear,
                          String plan) implements CustomerEvent {}
