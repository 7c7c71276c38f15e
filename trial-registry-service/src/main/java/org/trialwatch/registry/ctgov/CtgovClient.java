package org.trialwatch.registry.ctgov;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.trialwatch.support.http.RetryAfter;

/**
 * Calls ClinicalTrials.gov. Every call is spaced (the API's rate limit), has a connect/read timeout, is retried with
 * exponential backoff that honours Retry-After on 429/503, and passes a circuit breaker that stops calling a failing
 * API for a minute. Retries, backoff and breaker are SmallRye Fault Tolerance's; the values can be changed through
 * {@code quarkus.fault-tolerance."org.trialwatch.registry.ctgov.CtgovClient/get".*}.
 */
@ApplicationScoped
public class CtgovClient {

    public static final String BREAKER = "ctgov";
    private static final Logger LOG = Logger.getLogger(CtgovClient.class);

    private final CtgovConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final long spacingNanos;
    private volatile CtgovApi api;
    private long nextSlotNanos;

    public CtgovClient(CtgovConfig config, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.spacingNanos = config.minRequestSpacing().toNanos();
        RetryAfterBackoff.maxRetryAfterMillis = config.maxRetryAfter().toMillis();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The configured base URL without a trailing slash (for sources); empty string when disabled. */
    public String baseUrl() {
        return config.baseUrl().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).orElse("");
    }

    /** The public URL of one study's record, used as the source of facts read from it. */
    public String studyUrl(String nctId) {
        return baseUrl() + "/api/v2/studies/" + nctId;
    }

    @Retry(maxRetries = 4, delay = 1000, jitter = 0, maxDuration = 300_000,
            retryOn = {CtgovUnavailableException.class, TimeoutException.class}, abortOn = CtgovRejectedException.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 60, delayUnit = ChronoUnit.SECONDS,
            failOn = {CtgovUnavailableException.class, TimeoutException.class}, skipOn = CtgovRejectedException.class)
    @CircuitBreakerName(BREAKER)
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    public JsonNode get(CtgovRequest request) {
        CtgovApi client = api();
        pace();
        Response response;
        try {
            if (request instanceof CtgovRequest.StudiesPage p) {
                response = client.studies(String.join(",", p.nctIds()), CtgovStudy.FIELDS, config.pageSize(),
                        p.pageToken(), p.countTotal() ? Boolean.TRUE : null, "json");
            } else {
                response = client.version();
            }
        } catch (ProcessingException e) {
            throw unavailable(request, "no answer: " + rootMessage(e), e);
        }
        try (response) {
            int status = response.getStatus();
            if (status == 429 || status >= 500) {
                var retryAfter = RetryAfter.parse(response.getHeaderString("Retry-After"), clock.instant());
                LOG.warnf("ClinicalTrials.gov answered %d to %s%s", status, describe(request),
                        retryAfter == null ? "" : " (Retry-After " + retryAfter.toSeconds() + " s)");
                throw new CtgovUnavailableException("HTTP " + status + " for " + describe(request), retryAfter, null);
            }
            if (status >= 400) {
                throw new CtgovRejectedException("HTTP " + status + " for " + describe(request));
            }
            String body = response.readEntity(String.class);
            try {
                return mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw new CtgovRejectedException("the answer to " + describe(request) + " is not JSON: "
                        + e.getOriginalMessage());
            }
        } catch (ProcessingException e) {
            throw unavailable(request, "answer cut off: " + rootMessage(e), e);
        }
    }

    private CtgovUnavailableException unavailable(CtgovRequest request, String why, Throwable cause) {
        LOG.warnf("ClinicalTrials.gov %s: %s", describe(request), why);
        return new CtgovUnavailableException(why + " (" + describe(request) + ")", null, cause);
    }

    private CtgovApi api() {
        CtgovApi built = api;
        if (built == null) {
            synchronized (this) {
                if (api == null) {
                    if (!enabled()) {
                        throw new IllegalStateException("the ClinicalTrials.gov sync is not configured");
                    }
                    long timeout = config.requestTimeout().toMillis();
                    api = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(URI.create(baseUrl()))
                            .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                            .readTimeout(timeout, TimeUnit.MILLISECONDS)
                            .property("microprofile.rest.client.disable.default.mapper", true)
                            .build(CtgovApi.class);
                }
                built = api;
            }
        }
        return built;
    }

    /** Waits for this instance's next request slot, so requests keep {@code min-request-spacing} apart. */
    private void pace() {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + spacingNanos;
            waitNanos = slot - now;
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtgovUnavailableException("interrupted while pacing requests", null, e);
            }
        }
    }

    private static String describe(CtgovRequest request) {
        if (request instanceof CtgovRequest.StudiesPage p) {
            return "GET /api/v2/studies (" + p.nctIds().size() + " ids"
                    + (p.pageToken() == null ? "" : ", page " + p.pageToken()) + ")";
        }
        return "GET /api/v2/version";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
