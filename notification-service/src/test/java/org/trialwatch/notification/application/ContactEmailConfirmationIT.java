package org.trialwatch.notification.application;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.eclipse.microprofile.config.ConfigProvider;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.notification.delivery.mail.ConfirmationTokens;
import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.MailLog;
import org.trialwatch.notification.testing.Mailbox;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * A subscription's contact address was named by a team's token, not by its owner: it is mailed one confirmation link
 * and nothing else until it follows it. The notice of a disabled endpoint then goes where it would without a contact
 * address (the operators' fallback recipient), which is the witness that the notice was due.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class ContactEmailConfirmationIT {

    private static final String TEAM = "team-contact";
    /** trialwatch.mail.fallback-recipient, left at its default in the test profile. */
    private static final String OPERATORS = "operators@trialwatch.local";
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @BeforeEach
    void listenToMailLog() {
        MailLog.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aNewContactAddressGetsOneConfirmationAndNoNoticeUntilItConfirms() throws Exception {
        String nct = "NCT90000401";
        String contact = "new-contact@example.org";
        String id = webhook("/first", contact, nct);
        view(id).body("contactEmailConfirmed", equalTo(false)).body("verification.status", equalTo("verified"));
        Api.awaitContactConfirmationLink(contact, id);
        List<Mailbox.Mail> mails = Mailbox.to(contact);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).subject()).contains("contact address");
        assertThat(mails.get(0).body()).contains(id).contains("contact of its subscription \"hook first\"")
                .contains("keeps failing or is disabled");

        // the endpoint goes away: the subscription is disabled, and the notice goes to the operators instead
        receiver.answerAlways("/first", 410);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        awaitDisabledNotice(OPERATORS, id);
        assertThat(Mailbox.to(contact)).as("nothing but the confirmation mail").hasSize(1);

        // its owner follows the link, twice (a second time changes nothing)
        Api.confirmContact(contact, id);
        Api.confirmContact(contact, id);
        view(id).body("contactEmailConfirmed", equalTo(true));
        assertThat(Mailbox.to(contact)).hasSize(1);

        // re-enabled while the endpoint is still gone: now the contact address is told
        given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .patch("/api/subscriptions/" + id).then().statusCode(200).body("enabled", equalTo(true))
                .body("contactEmailConfirmed", equalTo(true));
        ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
        awaitDisabledNotice(contact, id);
    }

    @Test
    void aChangedContactAddressMustConfirmAgain() throws Exception {
        String nct = "NCT90000402";
        String before = "before-change@example.org";
        String after = "after-change@example.org";
        String id = webhook("/changed", before, nct);
        Api.confirmContact(before, id);
        URI oldLink = URI.create(Api.contactConfirmationLink(before, id));

        // a change that keeps the address keeps its confirmation and mails nothing
        patch(id, Map.of("name", "renamed")).body("contactEmailConfirmed", equalTo(true));
        assertThat(Mailbox.to(before)).hasSize(1);

        patch(id, Map.of("contactEmail", after)).body("contactEmail", equalTo(after))
                .body("contactEmailConfirmed", equalTo(false));
        Api.awaitContactConfirmationLink(after, id);
        assertThat(Mailbox.to(after)).hasSize(1);
        // the old address's link confirms nothing for the new one
        given().urlEncodingEnabled(false).get(oldLink.getRawPath() + "?" + oldLink.getRawQuery()).then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", endsWith("invalid-confirmation-link"));
        view(id).body("contactEmailConfirmed", equalTo(false));

        receiver.answerAlways("/changed", 410);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        awaitDisabledNotice(OPERATORS, id);
        assertThat(Mailbox.to(after)).as("the new address: nothing but its confirmation mail").hasSize(1);
        assertThat(Mailbox.to(before)).as("the old address: nothing more").hasSize(1);

        Api.confirmContact(after, id);
        view(id).body("contactEmailConfirmed", equalTo(true));
    }

    @Test
    void aTamperedOrForeignLinkIsRefusedAndConfirmsNothing() throws Exception {
        String contact = "tamper@example.org";
        String id = webhook("/tamper", contact, "NCT90000403");
        String other = webhook("/tamper-other", "tamper-other@example.org", "NCT90000403");
        String query = URI.create(Api.awaitContactConfirmationLink(contact, id)).getRawQuery();
        ConfirmationTokens tokens = ConfirmationTokens.fromBase64Key(ConfigProvider.getConfig()
                .getValue("trialwatch.mail.confirmation-key", String.class));
        long expires = Long.parseLong(query.replaceFirst(".*expires=(\\d+).*", "$1"));
        String subscriptionAddressToken = tokens.token(UUID.fromString(id), contact, Instant.ofEpochSecond(expires));

        for (String path : List.of(
                "/api/subscriptions/" + id + "/contact/confirm?" + query + "x",
                "/api/subscriptions/" + id + "/contact/confirm?" + query.replaceFirst("&token=.*", ""),
                "/api/subscriptions/" + id + "/contact/confirm?"
                        + query.replaceFirst("expires=\\d+", "expires=4102444800"),
                "/api/subscriptions/" + other + "/contact/confirm?" + query,
                // a link that confirms a subscription's own address is not one for its contact address
                "/api/subscriptions/" + id + "/contact/confirm?expires=" + expires + "&token="
                        + subscriptionAddressToken,
                // nor the other way round
                "/api/subscriptions/" + id + "/confirm?" + query)) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(403)
                    .contentType("application/problem+json").body("type", endsWith("invalid-confirmation-link"));
        }
        // signed right but expired: 410, as for a subscription's own address
        Instant past = Instant.now().minusSeconds(60);
        given().queryParam("expires", past.getEpochSecond())
                .queryParam("token", tokens.token(ConfirmationTokens.Purpose.CONTACT_ADDRESS, UUID.fromString(id),
                        contact, past))
                .get("/api/subscriptions/" + id + "/contact/confirm").then().statusCode(410)
                .contentType("application/problem+json").body("type", endsWith("confirmation-link-expired"));

        view(id).body("contactEmailConfirmed", equalTo(false)).body("verification.status", equalTo("verified"));
        view(other).body("contactEmailConfirmed", equalTo(false));
        assertThat(Mailbox.to(contact)).hasSize(1);
    }

    @Test
    void theOpenApiDocumentSaysWhatContactEmailConfirmedMeans() {
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        assertThat(doc.getString("components.schemas.View.properties.contactEmailConfirmed.type")).isEqualTo("boolean");
        assertThat(doc.getString("components.schemas.View.properties.contactEmailConfirmed.description"))
                .contains("confirmation link");
        assertThat(doc.getMap("paths").keySet()).contains("/api/subscriptions/{id}/contact/confirm");
    }

    private static String webhook(String path, String contact, String nct) {
        return given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                .body(Map.of("name", "hook " + path.substring(1), "channel", "webhook", "url", receiver.url(path),
                        "contactEmail", contact, "filter", Map.of("nctIds", List.of(nct))))
                .post("/api/subscriptions").then().statusCode(201)
                .body("contactEmailConfirmed", equalTo(false)).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse view(String id) {
        return given().auth().oauth2(TestTokens.subscriber(TEAM)).get("/api/subscriptions/" + id).then()
                .statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse patch(String id, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON).body(body)
                .patch("/api/subscriptions/" + id).then().statusCode(200);
    }

    private static void awaitDisabledNotice(String address, String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Mailbox.to(address).stream()
                .anyMatch(m -> m.subject().contains("disabled") && m.body().contains(id)));
    }
}
