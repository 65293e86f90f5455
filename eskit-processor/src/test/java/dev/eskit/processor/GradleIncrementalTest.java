package dev.eskit.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What Gradle reads from the processor's jar to compile incrementally (docs/gradle.md). */
class GradleIncrementalTest {

    @Test
    void theProcessorDeclaresItselfAnAggregatingIncrementalProcessor() throws IOException {
        try (InputStream entry = EskitProcessor.class.getResourceAsStream(
                "/META-INF/gradle/incremental.annotation.processors")) {
            assertNotNull(entry, "META-INF/gradle/incremental.annotation.processors is missing");
            String declaration = new String(entry.readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(EskitProcessor.class.getName() + ",aggregating", declaration);
        }
    }
}
