package org.trialwatch.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

/** Posted results that cannot be true, or cannot be read as evidence, are refused with 422 and change nothing. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(org.trialwatch.registry.ctgov.CtgovWireMockResource.class)
class PostedResultsApiIT {

    private static final String TRIAL = "NCT04506281"; // used elsewhere only for a field patch

    private static io.restassured.response.Response post(String result) {
        return given().auth().oauth2(TestTokens.curator()).contentType(ContentType.JSON)
                .body("{\"results\":[" + result + "]}").post("/api/trials/{id}/results", TRIAL);
    }

    private static int stored() {
        return given().get("/api/trials/{id}/results", TRIAL).then().statusCode(200).extract().path("items.size()");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an ORR of 150% | {\"endpoint\":\"ORR\",\"armRole\":\"EXPERIMENTAL\",\"value\":150,\"n\":20,\"source\":\"t\"} | results[0].value | 0–100",
            "an N of 0 | {\"endpoint\":\"ORR\",\"armRole\":\"EXPERIMENTAL\",\"value\":30,\"n\":0,\"source\":\"t\"} | results[0].n | at least 1",
            "a negative median OS | {\"endpoint\":\"OS\",\"armRole\":\"EXPERIMENTAL\",\"value\":-3,\"unit\":\"months\",\"source\":\"t\"} | results[0].value | negative",
            "an interval excluding its value | {\"endpoint\":\"ORR\",\"armRole\":\"EXPERIMENTAL\",\"value\":30,\"n\":40,\"ci95\":{\"lower\":35,\"upper\":50},\"source\":\"t\"} | results[0].ci95 | does not contain",
            "more responders than patients | {\"endpoint\":\"ORR\",\"armRole\":\"EXPERIMENTAL\",\"value\":30,\"n\":10,\"responders\":12,\"source\":\"t\"} | results[0].responders | within 0–n",
            "no arm role | {\"endpoint\":\"ORR\",\"arm\":\"A\",\"value\":30,\"n\":40,\"source\":\"t\"} | results[0].armRole | EXPERIMENTAL or CONTROL",
    })
    void aResultThatCannotBeTrueIsRefusedWith422NamingTheFieldAndNothingIsStored(String what, String result,
                                                                                 String field, String reason) {
        int before = stored();
        post(result).then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422)).body("type", containsString("invalid-results"))
                .body("errors.field", hasItem(field)).body("errors.reason", hasItem(containsString(reason)));
        assertThat(stored()).as(what).isEqualTo(before);
    }

    @Test
    void theArmRoleAndRespondersTravelInTheResultsPostedEvent() throws Exception {
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.TRIAL_EVENTS)) {
            post("{\"endpoint\":\"ORR\",\"arm\":\"Arm A\",\"armRole\":\"EXPERIMENTAL\",\"value\":30.0,\"unit\":\"%\","
                    + "\"ci95\":{\"lower\":16.6,\"upper\":47.9},\"n\":40,\"responders\":12,\"source\":\"illustrative\"},"
                    + "{\"endpoint\":\"ORR\",\"arm\":\"Arm B\",\"armRole\":\"CONTROL\",\"value\":10,\"n\":40,\"source\":\"illustrative\"}")
                    .then().statusCode(201).body("[0].armRole", equalTo("EXPERIMENTAL")).body("[0].responders", equalTo(12))
                    .body("[1].armRole", equalTo("CONTROL"));
            List<KafkaTopicReader.Received> events = reader.readUntil(all -> all.stream().anyMatch(r -> TRIAL.equals(r.key())
                    && EventTypes.TRIAL_RESULTS_POSTED.equals(r.header(CloudEventHeaders.TYPE))), Duration.ofSeconds(30));
            JsonNode posted = EventJson.mapper().readTree(events.stream().filter(r -> TRIAL.equals(r.key())
                    && EventTypes.TRIAL_RESULTS_POSTED.equals(r.header(CloudEventHeaders.TYPE))).findFirst().orElseThrow().value());
            assertThat(EventSchemas.violations(EventTypes.TRIAL_RESULTS_POSTED, posted)).isEmpty();
            assertThat(posted.at("/results/0/armRole").asText()).isEqualTo("EXPERIMENTAL");
            assertThat(posted.at("/results/0/responders").asInt()).isEqualTo(12);
            assertThat(posted.at("/results/1/armRole").asText()).isEqualTo("CONTROL");
            assertThat(posted.at("/results/1/responders").isNull()).isTrue();
        }
    }
}
