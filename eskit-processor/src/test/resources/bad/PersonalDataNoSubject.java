package bad;

import dev.eskit.annotations.*;

@Event
record PersonalDataNoSubject(String customerId,
                             @PersonalData String email) {
}
