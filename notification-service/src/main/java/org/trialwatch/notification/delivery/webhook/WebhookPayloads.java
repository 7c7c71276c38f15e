package org.trialwatch.notification.delivery.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;

/**
 * Builds the Standard Webhooks payload {@code {type, timestamp, data}}: {@code data} is the event as the contract
 * defines it plus {@code links} back to the registry and evidence APIs, so a receiver can fetch the full record.
 */
public final class WebhookPayloads {

    public static final String TEST_TYPE = "trialwatch.test";
    /** Sent once when a webhook subscription is created or its URL changed: the endpoint must answer it with 2xx. */
    public static final String VERIFICATION_TYPE = "trialwatch.webhook.verification";

    private final String registryBaseUrl;
    private final String evidenceBaseUrl;

    public WebhookPayloads(String registryBaseUrl, String evidenceBaseUrl) {
        this.registryBaseUrl = trimSlash(registryBaseUrl);
        this.evidenceBaseUrl = trimSlash(evidenceBaseUrl);
    }

    /** {@code org.trialwatch.trial.status-changed.v1} → {@code trial.status_changed} (the spec allows [a-zA-Z0-9_.]). */
    public static String payloadType(String ceType) {
        return EventTypes.shortName(ceType).replace('-', '_');
    }

    public String forEvent(String ceType, String ceId, JsonNode event, Instant occurredAt) {
        ObjectNode data = event.deepCopy();
        ObjectNode links = data.putObject("links");
        String nctId = text(event, "nctId");
        if (nctId == null) {
            nctId = text(event, "causeNctId");
        }
        if (nctId != null) {
            links.put("trial", registryBaseUrl + "/api/trials/" + nctId);
        }
        String groupKey = text(event, "groupKey");
        if (groupKey != null) {
            links.put("summary", evidenceBaseUrl + "/api/summaries/" + URLEncoder.encode(groupKey, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        data.put("cloudEventId", ceId);
        return envelope(payloadType(ceType), occurredAt, data);
    }

    public String forTest(String subscriptionId, Instant now) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("subscriptionId", subscriptionId);
        data.put("message", "Test event from TrialWatch: your endpoint and signature check work.");
        return envelope(TEST_TYPE, now, data);
    }

    /**
     * The verification event: signed like every delivery, so the endpoint can check it came from us with the secret
     * it was just given; {@code challenge} is random, so no two verification events are alike.
     */
    public static String forVerification(String subscriptionId, String challenge, Instant now) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("subscriptionId", subscriptionId);
        data.put("challenge", challenge);
        data.put("message", "TrialWatch asks whether this endpoint wants deliveries for this subscription: answer"
                + " with any 2xx to start them.");
        return envelope(VERIFICATION_TYPE, now, data);
    }

    private static String envelope(String type, Instant timestamp, ObjectNode data) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", type);
        root.put("timestamp", timestamp.toString());
        root.set("data", data);
        try {
            return EventJson.mapper().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
