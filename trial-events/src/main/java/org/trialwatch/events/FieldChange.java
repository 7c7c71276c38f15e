package org.trialwatch.events;

import com.fasterxml.jackson.databind.JsonNode;

/** One field's change; {@code from}/{@code to} are JSON values (null = unknown). */
public record FieldChange(String field, JsonNode from, JsonNode to) {
}
