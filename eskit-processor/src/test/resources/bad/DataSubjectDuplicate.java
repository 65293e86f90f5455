package bad;

import dev.eskit.annotations.*;

@Event
record DataSubjectDuplicate(@DataSubject String customerId,
                            @DataSubject String friendId, // second
                            @PersonalData String email) {
}
