package org.trialwatch.evidence.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.trialwatch.support.rest.BodyLimit;

/**
 * One body limit for every request, whatever its framing: {@code quarkus.http.limits.max-body-size}, answered with a
 * {@code body-too-large} problem (413) naming the limit, for a declared length before any of the body is read and for
 * a chunked body as soon as it passes the limit (service-support {@link BodyLimit}).
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        BodyLimit.install(router, maxBytes, "https://trialwatch.local/problems/body-too-large");
    }
}
