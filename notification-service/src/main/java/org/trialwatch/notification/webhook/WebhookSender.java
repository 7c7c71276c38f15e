package org.trialwatch.notification.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.trialwatch.notification.delivery.AttemptResult;
import org.trialwatch.notification.delivery.RetryAfter;

/**
 * Posts one signed Standard Webhooks request. Redirects are never followed (a 3xx is a failure), the target is checked
 * by the SSRF guard right before sending, and each attempt has one hard deadline that covers connecting, the response
 * headers and the body: the JDK client's own request timeout ends at the headers, so an endpoint that answers its
 * headers and then never finishes the body would otherwise hold a sender for ever. Of the body at most
 * {@code readLimit} bytes are read; the exchange is then cut off.
 */
public final class WebhookSender {

    private final HttpClient client;
    private final WebhookTargetGuard guard;
    private final Duration deadline;
    private final int readLimit;
    private final int bodyCap;

    public WebhookSender(WebhookTargetGuard guard, Duration connectTimeout, Duration deadline, int readLimit,
                         int bodyCap) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout.compareTo(deadline) < 0 ? connectTimeout : deadline)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.guard = guard;
        this.deadline = deadline;
        this.readLimit = readLimit;
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
        HttpRequest request = HttpRequest.newBuilder(target).timeout(deadline)
                .header("content-type", "application/json")
                .header("user-agent", "TrialWatch-Webhooks/1")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatureHeader(messageId, timestamp, bytes, secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        AtomicReference<Integer> headersStatus = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> {
            headersStatus.set(info.statusCode());
            return new CappedBodySubscriber(readLimit);
        });
        long remaining = deadline.toNanos() - (System.nanoTime() - started);
        try {
            HttpResponse<byte[]> response = exchange.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            long latency = elapsedMs(started);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return AttemptResult.success(status, latency);
            }
            byte[] answer = response.body();
            String excerpt = new String(answer, 0, Math.min(answer.length, bodyCap), StandardCharsets.UTF_8);
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), now);
            String error = excerpt.isBlank() ? null : "response: " + excerpt;
            if (status >= 300 && status < 400) {
                error = "redirect to " + response.headers().firstValue("location").orElse("?") + " not followed";
            }
            return new AttemptResult(status, retryAfter, error, latency);
        } catch (TimeoutException e) {
            exchange.cancel(true); // aborts the exchange and closes its connection
            Integer status = headersStatus.get();
            return AttemptResult.noResponse(status == null
                    ? "no answer within the attempt deadline of " + deadline
                    : "headers (HTTP " + status + ") but no complete body within the attempt deadline of " + deadline,
                    elapsedMs(started));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return AttemptResult.noResponse("no answer within the attempt deadline of " + deadline,
                        elapsedMs(started));
            }
            return AttemptResult.noResponse("connection failed: " + (cause instanceof IOException ? cause : e),
                    elapsedMs(started));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return AttemptResult.noResponse("interrupted", elapsedMs(started));
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
