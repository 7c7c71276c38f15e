package org.trialwatch.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Shows a JSON value of the APIs as a person reads it: text without quotes, nothing for null. */
public final class Json {

    private Json() {
    }

    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
