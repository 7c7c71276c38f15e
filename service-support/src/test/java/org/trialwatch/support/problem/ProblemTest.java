package org.trialwatch.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The body every service sends: RFC 9457 members, a TrialWatch type URI, and only the members a service sets. */
class ProblemTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aTrialWatchProblemTypeIsASlugUnderTheOneBaseUri() throws Exception {
        String body = json.writeValueAsString(Problem.of("not-found", "Not found", 404, "no group PC.x").at("/api/x"));
        assertThat(json.readTree(body).get("type").asText()).isEqualTo("https://trialwatch.org/problems/not-found");
        assertThat(body).isEqualTo("{\"type\":\"https://trialwatch.org/problems/not-found\",\"title\":\"Not found\","
                + "\"status\":404,\"detail\":\"no group PC.x\",\"instance\":\"/api/x\"}");
    }

    @Test
    void membersLeftUnsetAreNotWrittenButAnEmptyErrorListIs() throws Exception {
        assertThat(json.readTree(json.writeValueAsString(Problem.blank("Not found", 404, "gone"))).has("errors"))
                .isFalse();
        assertThat(json.readTree(json.writeValueAsString(Problem.blank("Not found", 404, "gone")
                .withErrors(List.of()))).get("errors").isEmpty()).isTrue();
    }

    @Test
    void fieldErrorsRulesAndTheCurrentVersionAreWrittenAsTheRegistryAlwaysHas() throws Exception {
        Problem p = Problem.of("illegal-status-transition", "Illegal status transition", 422, "breaks")
                .withErrors(List.of(new FieldError("newStatus", "terminated is final")))
                .withRules(List.of(new Problem.BrokenRule("TERMINAL", "terminated is final")))
                .withCurrentVersion(7);
        var tree = json.readTree(json.writeValueAsString(p));
        assertThat(tree.at("/errors/0/field").asText()).isEqualTo("newStatus");
        assertThat(tree.at("/errors/0/reason").asText()).isEqualTo("terminated is final");
        assertThat(tree.at("/rules/0/rule").asText()).isEqualTo("TERMINAL");
        assertThat(tree.at("/rules/0/explanation").asText()).isEqualTo("terminated is final");
        assertThat(tree.get("currentVersion").asLong()).isEqualTo(7);
    }
}
