package org.trialwatch.support.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;

/**
 * Installs {@link BodyLimit} in every service that includes this archive: {@code quarkus.http.limits.max-body-size}
 * (each service sets its own) for every request whatever its framing, answered with one {@code body-too-large}
 * problem type (413) naming the limit.
 */
@ApplicationScoped
public class BodySizeLimit {

    static final String PROBLEM_TYPE = "https://trialwatch.org/problems/body-too-large";

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        BodyLimit.install(router, maxBytes, PROBLEM_TYPE);
    }
}
