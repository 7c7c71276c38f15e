package org.trialwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenExamplesTest {

    static java.util.List<String> allTypes() {
        return EventTypes.ALL;
    }

    static java.util.List<String> trialTypes() {
        return EventTypes.TRIAL_TYPES;
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void everyGoldenExampleValidatesAgainstItsSchema(String type) {
        assertThat(EventSchemas.violations(type, EventSchemas.goldenExample(type))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("trialTypes")
    void goldenExampleRoundTripsThroughTheJavaRecordUnchanged(String type) throws Exception {
        JsonNode golden = EventSchemas.goldenExample(type);
        TrialEvent event = EventJson.readTrialEvent(type, EventJson.mapper().writeValueAsBytes(golden));
        assertThat(event.type()).isEqualTo(type);
        JsonNode written = EventJson.mapper().readTree(EventJson.toBytes(event));
        assertThat(written).isEqualTo(golden);
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void anEventWithoutSequenceIsRejected(String type) {
        ObjectNode broken = EventSchemas.goldenExample(type).deepCopy();
        broken.remove("sequence");
        assertThat(EventSchemas.violations(type, broken)).anySatisfy(m -> assertThat(m).contains("sequence"));
    }

    @ParameterizedTest
    @MethodSource("trialTypes")
    void aMalformedNctIdIsRejected(String type) {
        ObjectNode broken = EventSchemas.goldenExample(type).deepCopy();
        broken.put("nctId", "NCT123");
        assertThat(EventSchemas.violations(type, broken)).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void anOccurredAtThatIsNotADateTimeIsRejected(String type) {
        ObjectNode broken = EventSchemas.goldenExample(type).deepCopy();
        broken.put("occurredAt", "2026-13-45T99:00:00Z");
        assertThat(EventSchemas.violations(type, broken)).anySatisfy(m -> assertThat(m).contains("occurredAt"));
        broken.put("occurredAt", "yesterday");
        assertThat(EventSchemas.violations(type, broken)).anySatisfy(m -> assertThat(m).contains("occurredAt"));
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void theOffsetFormsOfRfc3339DateTimeAreAccepted(String type) {
        ObjectNode event = EventSchemas.goldenExample(type).deepCopy();
        event.put("occurredAt", "2026-11-26T11:20:00.123+01:00");
        assertThat(EventSchemas.violations(type, event)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("allTypes")
    void theAsyncApiDocumentNamesEveryType(String type) throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("trialwatch/events/asyncapi.yaml")) {
            String doc = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(doc).contains("name: " + type).contains(EventSchemas.schemaResource(type)
                    .substring("trialwatch/events/".length()));
        }
    }

    @org.junit.jupiter.api.Test
    void aResultsPostedEventWithoutTheOptionalArmRoleAndRespondersStillConformsAndReads() throws Exception {
        ObjectNode old = EventSchemas.goldenExample(EventTypes.TRIAL_RESULTS_POSTED).deepCopy();
        old.withArray("results").forEach(r -> {
            ((ObjectNode) r).remove("armRole");
            ((ObjectNode) r).remove("responders");
        });
        assertThat(EventSchemas.violations(EventTypes.TRIAL_RESULTS_POSTED, old)).isEmpty();
        TrialResultsPosted read = (TrialResultsPosted) EventJson.readTrialEvent(EventTypes.TRIAL_RESULTS_POSTED,
                EventJson.mapper().writeValueAsBytes(old));
        assertThat(read.results()).allSatisfy(r -> {
            assertThat(r.armRole()).isNull();
            assertThat(r.responders()).isNull();
        });
    }

    @org.junit.jupiter.api.Test
    void anArmRoleOutsideExperimentalOrControlIsRejected() {
        ObjectNode bad = EventSchemas.goldenExample(EventTypes.TRIAL_RESULTS_POSTED).deepCopy();
        ((ObjectNode) bad.withArray("results").get(0)).put("armRole", "PLACEBO");
        assertThat(EventSchemas.violations(EventTypes.TRIAL_RESULTS_POSTED, bad)).anySatisfy(m -> assertThat(m).contains("armRole"));
    }

    @org.junit.jupiter.api.Test
    void everyRealTrialInTheExamplesIsEitherInTheDataOrMarkedIllustrative() throws Exception {
        String statusReason = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).get("reason").asText();
        assertThat(statusReason).contains("illustrative");
        EventSchemas.goldenExample(EventTypes.TRIAL_RESULTS_POSTED).withArray("results")
                .forEach(r -> assertThat(r.get("source").asText()).contains("illustrative"));
        assertThat(EventSchemas.goldenExample(EventTypes.TRIAL_UPDATED).toString()).doesNotContain("acronym");
    }
}
