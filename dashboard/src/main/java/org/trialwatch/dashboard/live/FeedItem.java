package org.trialwatch.dashboard.live;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of the live feed, made from an event of the notification service's stream: what happened, in words, where
 * to look (a dashboard page), and the trial or group it concerns so an open page can tell it is about itself.
 */
public record FeedItem(String type, String headline, String detail, String href, String nctId, String groupKey,
                       String at) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static FeedItem of(String type, String body) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(body == null ? "{}" : body);
        } catch (java.io.IOException e) {
            return new FeedItem(type, type, "", null, null, null, null);
        }
        JsonNode d = envelope.path("data");
        String nct = text(d, "nctId");
        String group = text(d, "groupKey");
        String at = text(d, "occurredAt") != null ? text(d, "occurredAt") : text(envelope, "timestamp");
        String kind = type != null ? type : text(envelope, "type");
        String normalised = kind == null ? "" : kind.replace('_', '-');
        return switch (normalised) {
            case "trial.status-changed" -> new FeedItem(kind,
                    nct + ": " + status(text(d, "previousStatus")) + " → " + status(text(d, "newStatus")),
                    join("reason: " + orDash(text(d, "reason")), "origin: " + orDash(text(d, "origin")),
                            d.path("correction").asBoolean() ? "correction" : null,
                            text(d, "effectiveDate") == null ? null : "effective " + text(d, "effectiveDate")),
                    "/trials/" + nct, nct, null, at);
            case "trial.updated" -> new FeedItem(kind, nct + ": fields updated", changes(d), "/trials/" + nct, nct,
                    null, at);
            case "trial.registered" -> new FeedItem(kind, nct + ": now tracked", "", "/trials/" + nct, nct, null, at);
            case "trial.results-posted" -> new FeedItem(kind, nct + ": results posted", "", "/trials/" + nct, nct,
                    null, at);
            case "evidence.summary-updated" -> new FeedItem(kind, group + ": summary updated", changes(d),
                    "/summaries/" + group, text(d, "causeNctId"), group, at);
            default -> new FeedItem(kind, kind, "", null, nct, group, at);
        };
    }

    private static String changes(JsonNode d) {
        List<String> descriptions = new ArrayList<>();
        for (JsonNode c : d.path("changes")) {
            descriptions.add(c.hasNonNull("description") ? c.path("description").asText()
                    : c.path("field").asText() + ": " + c.path("from").asText() + " → " + c.path("to").asText());
        }
        return String.join("; ", descriptions);
    }

    private static String status(String s) {
        return s == null ? "not verified" : s;
    }

    private static String orDash(String s) {
        return s == null ? "—" : s;
    }

    private static String join(String... parts) {
        List<String> kept = new ArrayList<>();
        for (String p : parts) {
            if (p != null) {
                kept.add(p);
            }
        }
        return String.join(" · ", kept);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
