package org.trialwatch.registry.ctgov;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.EventJson;

/** The recorded API responses under src/test/resources. */
final class Fixtures {

    static final String URL = "https://clinicaltrials.gov";

    private Fixtures() {
    }

    static JsonNode json(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode record(String resource, String nctId) {
        for (JsonNode s : json(resource).path("studies")) {
            if (nctId.equals(s.path("protocolSection").path("identificationModule").path("nctId").asText())) {
                return s;
            }
        }
        throw new IllegalArgumentException(nctId + " not in " + resource);
    }

    static CtgovStudy study(String resource, String nctId) {
        return CtgovStudy.parse(record(resource, nctId), URL + "/api/v2/studies/" + nctId);
    }
}
