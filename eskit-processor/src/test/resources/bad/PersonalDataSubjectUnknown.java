package bad;

import dev.eskit.annotations.*;

@Event
record PersonalDataSubjectUnknown(String customerId,
                                  @PersonalData(subject = "customerID") String email) {
}
