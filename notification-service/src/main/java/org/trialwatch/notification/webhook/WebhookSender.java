package org.trialwatch.notification.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.trialwatch.notification.delivery.AttemptResult;
import org.trialwatch.notification.delivery.RetryAfter;

/**
 * Posts one signed Standard Webhooks request. Redirects are never followed (a 3xx is a failure), each attempt has a
 * timeout, the target is checked by the SSRF guard right before sending, and at most a small part of the response
 * body is read.
 */
public final class WebhookSender {

    private final HttpClient client;
    private final WebhookTargetGuard guard;
    private final Duration requestTimeout;
    private final int bodyCap;

    public WebhookSender(WebhookTargetGuard guard, Duration connectTimeout, Duration requestTimeout, int bodyCap) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.guard = guard;
        this.requestTimeout = requestTimeout;
        this.bodyCap = bodyCap;
    }

    public AttemptResult send(String url, String messageId, String body, List<String> secrets, Instant now) {
        long started = System.nanoTime();
        URI target;
        try {
            target = guard.check(url);
        } catch (UnsafeTargetException e) {
            return AttemptResult.noResponse("refused target: " + e.getMessage(), 0);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(requestTimeout)
                .header("content-type", "application/json")
                .header("user-agent", "TrialWatch-Webhooks/1")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatureHeader(messageId, timestamp, bytes, secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String excerpt = readCapped(response.body());
            long latency = elapsedMs(started);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return AttemptResult.success(status, latency);
            }
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), now);
            String error = excerpt.isBlank() ? null : "response: " + excerpt;
            if (status >= 300 && status < 400) {
                error = "redirect to " + response.headers().firstValue("location").orElse("?") + " not followed";
            }
            return new AttemptResult(status, retryAfter, error, latency);
        } catch (HttpTimeoutException e) {
            return AttemptResult.noResponse("timed out after " + requestTimeout, elapsedMs(started));
        } catch (IOException e) {
            return AttemptResult.noResponse("connection failed: " + e, elapsedMs(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AttemptResult.noResponse("interrupted", elapsedMs(started));
        }
    }

    private String readCapped(InputStream in) throws IOException {
        try (in) {
            byte[] excerpt = in.readNBytes(bodyCap);
            return new String(excerpt, StandardCharsets.UTF_8);
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
