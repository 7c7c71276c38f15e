package org.trialwatch.notification.delivery.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;

import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.support.http.RetryAfter;
import org.trialwatch.support.tracing.TraceParent;

/**
 * Posts one signed Standard Webhooks request.
 * <ul>
 * <li>The target is checked by the SSRF guard right before sending, and the connection goes to the very address the
 * guard checked (Vert.x's {@code RequestOptions.setServer}); the host name is kept for the {@code Host} header, TLS
 * SNI and the certificate check. A name that resolves differently a moment later (DNS rebinding) changes nothing.</li>
 * <li>Redirects are never followed (a 3xx is a failure).</li>
 * <li>One hard deadline covers connecting, the response headers and the body, so an endpoint that answers its
 * headers and then never finishes the body cannot hold a sender. At most {@code readLimit} bytes of the answer are
 * read; the exchange is then cut off.</li>
 * <li>What the team sees of a failed attempt is coarse (HTTP status, timeout, refused, TLS, failed): nothing of the
 * answer or of the network is echoed, so the log cannot be used to probe what answers where.</li>
 * <li>A request whose kept connection the endpoint closes under it before answering is sent again at once on another
 * connection, up to {@link #RESENDS_ON_CLOSED_CONNECTION} times within the same deadline (see {@code exchange}).</li>
 * </ul>
 */
public final class WebhookSender {

    /**
     * How long an idle connection to an endpoint stays open for the next attempt. Under the 5 s after which Node.js
     * servers close an idle connection by default (other servers wait longer): a connection is reused while attempts
     * keep coming, and is not kept until the very moment its server closes it, when a request sent on it would fail.
     */
    static final int KEEP_ALIVE_SECONDS = 4;

    /** How many times one attempt is sent again at once when its kept connection closes under it (see exchange). */
    static final int RESENDS_ON_CLOSED_CONNECTION = 3;

    private final HttpClient client;
    private final WebhookTargetGuard guard;
    private final Duration deadline;
    private final int readLimit;
    private final Runnable resent;
    /** Connections a request has already gone out on: one that closes unanswered then was a kept one (weak keys). */
    private final Set<HttpConnection> usedConnections = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    public WebhookSender(Vertx vertx, WebhookTargetGuard guard, Duration connectTimeout, Duration deadline,
                         int readLimit) {
        this(vertx, guard, connectTimeout, deadline, readLimit, () -> { });
    }

    /** @param resent told each time a request is sent again because its kept connection closed under it (a metric) */
    public WebhookSender(Vertx vertx, WebhookTargetGuard guard, Duration connectTimeout, Duration deadline,
                         int readLimit, Runnable resent) {
        Duration connect = connectTimeout.compareTo(deadline) < 0 ? connectTimeout : deadline;
        // Connections are kept open and reused, but only for the same checked address: each request names the
        // address its target was just checked to (RequestOptions.setServer), and Vert.x pools connections per server
        // address, host and TLS, so a reused connection goes where a new one would have. A connection per attempt cost
        // a TCP handshake (and a TLS one for https) for every webhook. An attempt cut off at its deadline or its read
        // limit resets its connection, which is never reused.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) connect.toMillis())
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setPipelining(false)
                .setMaxRedirects(0)
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxPoolSize(256)
                // the attempt's span is the dispatcher's (joined to the event's trace); Vert.x would start another
                .setTracingPolicy(TracingPolicy.IGNORE));
        this.guard = guard;
        this.deadline = deadline;
        this.readLimit = readLimit;
        this.resent = resent;
    }

    /**
     * Sends and waits for the outcome (at most the attempt deadline). For callers that wait anyway, such as the
     * verification of a new endpoint; the dispatcher uses {@link #sendAsync}, which holds no thread while the endpoint
     * answers. Carries the current trace on.
     */
    public AttemptResult send(String url, String messageId, String body, List<String> secrets, Instant now) {
        try {
            return sendAsync(url, messageId, body, secrets, now, TraceParent.current()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AttemptResult.noResponse("interrupted", 0);
        } catch (ExecutionException e) {
            return AttemptResult.noResponse(coarse(e.getCause()), 0);
        }
    }

    /**
     * Starts one attempt and returns at once; the result completes on the HTTP client's event loop when the exchange
     * ends or the attempt deadline passes (the exchange is then cut off), so an attempt in flight holds no thread.
     * Checking the target resolves its host name, which blocks: call this from a worker thread, never an event loop.
     *
     * @param traceparent the trace the request carries on (W3C header), or null
     */
    public CompletableFuture<AttemptResult> sendAsync(String url, String messageId, String body, List<String> secrets,
                                                      Instant now, String traceparent) {
        long started = System.nanoTime();
        WebhookTargetGuard.Target target;
        try {
            target = guard.check(url);
        } catch (UnsafeTargetException e) {
            return CompletableFuture.completedFuture(AttemptResult.noResponse("target refused (not a public address,"
                    + " or its scheme or port is not accepted)", 0));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.https())
                .setURI(pathAndQuery(target.uri()))
                .setFollowRedirects(false)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", "TrialWatch-Webhooks/1")
                .putHeader("webhook-id", messageId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", WebhookSigner.signatureHeader(messageId, timestamp, bytes, secrets));
        if (traceparent != null) {
            options.putHeader(TraceParent.HEADER, traceparent); // the receiver can continue the trace (W3C)
        }

        AtomicReference<Integer> headersStatus = new AtomicReference<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        CompletableFuture<Answer> exchange = new CompletableFuture<>();
        exchange(options, bytes, headersStatus, sent, exchange, RESENDS_ON_CLOSED_CONNECTION);

        long remaining = Math.max(deadline.toNanos() - (System.nanoTime() - started), 1);
        return exchange.orTimeout(remaining, TimeUnit.NANOSECONDS).handle((answer, failure) -> {
            if (failure == null) {
                return outcome(answer, now, elapsedMs(started));
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset(); // aborts the exchange and closes its connection
                }
                Integer status = headersStatus.get();
                return AttemptResult.noResponse(status == null
                        ? "timeout: no answer within the attempt deadline of " + deadline
                        : "timeout: headers (HTTP " + status + ") but no complete body within the attempt deadline of "
                                + deadline,
                        elapsedMs(started));
            }
            return AttemptResult.noResponse(coarse(cause), elapsedMs(started));
        });
    }

    /**
     * One exchange on a pooled connection, completing {@code exchange} with the answer. A server may close a kept
     * connection at the moment a request goes out on it (an idle timeout, or a cap on idle connections: the JDK's
     * server keeps at most 200 by default and closes the rest as their exchanges end). The request then fails before
     * any answer, through no fault of the endpoint: in a 10,000-subscriber fan-out to one such receiver, 88 deliveries
     * failed so and waited 4-6 s for their retry, the fan-out's whole second half. Such a request is sent again at
     * once, on another connection, within the same deadline, up to {@link #RESENDS_ON_CLOSED_CONNECTION} times: when
     * the pool hands out a connection that closes before the request is written (nothing was sent), and when a kept
     * connection closes unanswered under it (the server closed it rather than read the request). A connection the
     * endpoint closes on its first request is the endpoint's failure and waits for the retry schedule. Sending again is
     * what the retry would do seconds later; the message id is the same, so a receiver that did see the request can
     * tell (Standard Webhooks).
     */
    private void exchange(RequestOptions options, byte[] bytes, AtomicReference<Integer> headersStatus,
                          AtomicReference<HttpClientRequest> sent, CompletableFuture<Answer> exchange,
                          int resendsLeft) {
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (resendsLeft > 0 && connected.cause() instanceof HttpClosedException && !exchange.isDone()) {
                    resent.run();
                    exchange(options, bytes, headersStatus, sent, exchange, resendsLeft - 1);
                } else {
                    exchange.completeExceptionally(connected.cause());
                }
                return;
            }
            HttpClientRequest request = connected.result();
            sent.set(request);
            boolean keptConnection = !usedConnections.add(request.connection());
            request.send(Buffer.buffer(bytes)).onComplete(answered -> {
                if (answered.failed()) {
                    if (resendsLeft > 0 && keptConnection && headersStatus.get() == null
                            && closedUnanswered(answered.cause()) && !exchange.isDone()) {
                        resent.run();
                        exchange(options, bytes, headersStatus, sent, exchange, resendsLeft - 1);
                    } else {
                        exchange.completeExceptionally(answered.cause());
                    }
                    return;
                }
                HttpClientResponse response = answered.result();
                headersStatus.set(response.statusCode());
                Buffer read = Buffer.buffer();
                response.handler(chunk -> {
                    if (exchange.isDone()) {
                        return;
                    }
                    int take = Math.min(chunk.length(), readLimit - read.length());
                    read.appendBuffer(chunk, 0, take);
                    if (read.length() >= readLimit) {
                        exchange.complete(new Answer(response));
                        request.reset(); // enough read: the rest is neither waited for nor buffered
                    }
                });
                response.exceptionHandler(exchange::completeExceptionally);
                response.endHandler(end -> exchange.complete(new Answer(response)));
            });
        });
    }

    /** The connection closed (or was reset) under a request before any answer came. */
    private static boolean closedUnanswered(Throwable failure) {
        return failure instanceof HttpClosedException
                || failure instanceof IOException && !(failure instanceof ConnectException);
    }

    private static AttemptResult outcome(Answer answer, Instant now, long latency) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return AttemptResult.success(status, latency);
        }
        Duration retryAfter = RetryAfter.parse(answer.retryAfter(), now);
        String error = status >= 300 && status < 400
                ? "HTTP " + status + ": redirects are not followed"
                : "HTTP " + status;
        return new AttemptResult(status, retryAfter, error, latency);
    }

    /** The kind of failure, never its text (which can name addresses, ports and what answered there). */
    static String coarse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "timeout: no connection within the connect timeout";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof SSLException) {
                return "TLS handshake or certificate check failed";
            }
        }
        return "connection failed";
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private record Answer(int status, String retryAfter) {
        Answer(HttpClientResponse response) {
            this(response.statusCode(), response.getHeader("retry-after"));
        }
    }
}
