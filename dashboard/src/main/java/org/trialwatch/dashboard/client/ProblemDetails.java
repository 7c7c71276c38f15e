package org.trialwatch.dashboard.client;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a service's RFC 9457 answer says, in words a person can act on: the detail and each field's reason. */
public record ProblemDetails(int status, String title, String detail, List<FieldError> errors) {

    public record FieldError(String field, String reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ProblemDetails of(WebApplicationException e) {
        int status = e.getResponse() == null ? 502 : e.getResponse().getStatus();
        try {
            String body = e.getResponse().readEntity(String.class);
            JsonNode node = JSON.readTree(body);
            List<FieldError> errors = new ArrayList<>();
            for (JsonNode error : node.path("errors")) {
                errors.add(new FieldError(error.path("field").asText(),
                        error.hasNonNull("reason") ? error.path("reason").asText() : error.path("message").asText()));
            }
            return new ProblemDetails(status, node.path("title").asText("Request refused"),
                    node.path("detail").asText(""), errors);
        } catch (RuntimeException | java.io.IOException unreadable) {
            return new ProblemDetails(status, "Request refused", "the service answered " + status, List.of());
        }
    }
}
