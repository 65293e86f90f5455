package dev.eskit.docs.crm;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;

/** docs/annotations.md, {@code @PersonalData}: {@code email} is stored encrypted under the customer's key. */
@Event
record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, String plan) {}
