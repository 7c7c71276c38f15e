package org.trialwatch.notification.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/** The subscription API as a team uses it. */
public final class Api {

    private Api() {
    }

    public record Created(String id, String secret) {
    }

    private static WebhookReceiver accepting;

    /**
     * A URL on a receiver that answers everything with 2xx, for tests that need a verified webhook subscription
     * (only a verified one is sent anything, /test included) and do not look at what it receives.
     */
    public static synchronized String acceptingUrl(String path) {
        if (accepting == null) {
            try {
                accepting = WebhookReceiver.start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(accepting::close));
        }
        return accepting.url(path);
    }

    public static Created webhook(String team, String url, Map<String, Object> filter) {
        return create(team, Map.of("name", "hook " + url, "channel", "webhook", "url", url,
                "contactEmail", team + "-ops@example.org", "filter", filter));
    }

    public static Created email(String team, String address, Map<String, Object> filter) {
        return create(team, Map.of("name", "mail " + address, "channel", "email", "email", address, "filter", filter));
    }

    private static Created create(String team, Map<String, Object> body) {
        JsonPath json = given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON).body(body)
                .when().post("/api/subscriptions")
                .then().statusCode(201).extract().jsonPath();
        return new Created(json.getString("id"), json.getString("secret"));
    }

    /**
     * Follows the confirmation link mailed to {@code address} (the newest one), as its owner would: without a token.
     * The link's host is the configured public URL; its path and query are sent to the service under test.
     */
    public static void confirm(String address) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> confirmationLink(address) != null);
        java.net.URI link = java.net.URI.create(confirmationLink(address));
        given().urlEncodingEnabled(false).when().get(link.getRawPath() + "?" + link.getRawQuery())
                .then().statusCode(200).body("verification", org.hamcrest.Matchers.equalTo("verified"));
    }

    /** The link in the newest confirmation mail to {@code address}, or null (contact address links excluded). */
    public static String confirmationLink(String address) throws Exception {
        String link = null;
        for (Mailbox.Mail mail : Mailbox.to(address)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "https?://\\S+/api/subscriptions/[0-9a-f-]+/confirm\\?\\S+")
                    .matcher(mail.body());
            if (mail.subject().startsWith("TrialWatch: confirm") && m.find()) {
                link = m.group();
            }
        }
        return link;
    }

    /**
     * Follows the newest link mailed to {@code address} to confirm it as the contact address of subscription
     * {@code subscriptionId}, as its owner would: without a token.
     */
    public static void confirmContact(String address, String subscriptionId) throws Exception {
        java.net.URI link = java.net.URI.create(awaitContactConfirmationLink(address, subscriptionId));
        given().urlEncodingEnabled(false).when().get(link.getRawPath() + "?" + link.getRawQuery())
                .then().statusCode(200).body("contactEmailConfirmed", org.hamcrest.Matchers.equalTo(true));
    }

    /**
     * Waits up to 20 s for a contact address confirmation mail to {@code address} for the subscription and returns its
     * link. When none comes, the failure says what the test SMTP server received and what the service logged about
     * mail meanwhile (see {@link MailLog}; a test that uses this calls {@code MailLog.start()} first).
     */
    public static String awaitContactConfirmationLink(String address, String subscriptionId) throws Exception {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> contactConfirmationLink(address, subscriptionId) != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no contact confirmation mail to " + address + " for subscription "
                    + subscriptionId + " within 20 s; the SMTP server received " + Mailbox.summary()
                    + "; the service logged: " + MailLog.relevant(), e);
        }
        return contactConfirmationLink(address, subscriptionId);
    }

    /** The link in the newest contact address confirmation mail to {@code address} for the subscription, or null. */
    public static String contactConfirmationLink(String address, String subscriptionId) throws Exception {
        String link = null;
        for (Mailbox.Mail mail : Mailbox.to(address)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "https?://\\S+/api/subscriptions/" + subscriptionId + "/contact/confirm\\?\\S+").matcher(mail.body());
            if (m.find()) {
                link = m.group();
            }
        }
        return link;
    }

    public static JsonPath deliveries(String team, String subscriptionId) {
        return given().auth().oauth2(TestTokens.subscriber(team))
                .when().get("/api/subscriptions/" + subscriptionId + "/deliveries")
                .then().statusCode(200).extract().jsonPath();
    }
}
