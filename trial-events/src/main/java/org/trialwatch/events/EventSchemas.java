package org.trialwatch.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schema of each event type (draft 2020-12), shipped in this jar under {@code trialwatch/events/schemas/}.
 * Producers' tests validate what they publish; consumers validate what they receive and dead-letter what fails.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /**
     * Draft 2020-12 makes {@code format} an annotation only; the contract means it ({@code occurredAt} is a date-time,
     * {@code effectiveDate} a date), and a consumer that accepted a bad one would fail on it later, after the record
     * was taken in, instead of dead-lettering it with the reason.
     */
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemas() {
    }

    /** The violations of {@code payload} against the schema of {@code type}; empty when it is valid. */
    public static List<String> violations(String type, JsonNode payload) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(type, EventSchemas::load);
        return schema.validate(payload).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public static String schemaResource(String type) {
        return "trialwatch/events/schemas/" + EventTypes.shortName(type) + ".v1.schema.json";
    }

    public static String exampleResource(String type) {
        return "trialwatch/events/examples/" + EventTypes.shortName(type) + ".v1.json";
    }

    /** The golden example of a type, as producer and consumer tests both read it. */
    public static JsonNode goldenExample(String type) {
        return readResource(exampleResource(type));
    }

    private static JsonSchema load(String type) {
        return FACTORY.getSchema(readResource(schemaResource(type)), CONFIG);
    }

    private static JsonNode readResource(String path) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing contract resource " + path);
            }
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
