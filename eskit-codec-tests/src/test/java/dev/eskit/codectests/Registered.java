package dev.eskit.codectests;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;
import java.time.LocalDate;

/** Personal data: encrypted on the JSON the generated codec writes, decrypted before it reads. */
@Event(name = "codec.Registered")
public record Registered(@DataSubject String customerId, @PersonalData String email, @PersonalData LocalDate born,
                         int age) {
}
