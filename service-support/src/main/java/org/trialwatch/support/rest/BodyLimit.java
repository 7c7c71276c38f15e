package org.trialwatch.support.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One body limit for every request, whatever its framing, answered as RFC 9457 problem+json naming the limit.
 * Quarkus enforces {@code quarkus.http.limits.max-body-size} itself, but answers a bare 413 without a body; this runs
 * first:
 * <ul>
 * <li>a declared {@code Content-Length} over the limit is answered before any of the body is read;</li>
 * <li>a body without one (chunked) is read through Vert.x' {@code BodyHandler} with the same limit: it is buffered
 * up to the limit (which the HTTP layer would hold anyway) and refused as soon as it passes it, and the resource reads
 * the buffered body. Nothing reaches a resource in either case.</li>
 * </ul>
 * Each service installs it from a {@code Router} observer with its own problem type URI.
 */
public final class BodyLimit {

    private BodyLimit() {
    }

    /** Installs the limit on {@code router}; {@code problemType} is the type URI of the 413 problem. */
    public static void install(Router router, long maxBytes, String problemType) {
        BodyHandler buffering = BodyHandler.create(false).setBodyLimit(maxBytes).setHandleFileUploads(false)
                .setMergeFormAttributes(false);
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                answer(ctx, maxBytes, problemType, "the body is larger than " + maxBytes + " bytes, the most accepted");
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    ctx.next(); // the HTTP layer refuses a malformed length
                    return;
                }
                if (declared > maxBytes) {
                    answer(ctx, maxBytes, problemType, "the body has " + declared + " bytes; at most " + maxBytes
                            + " bytes are accepted");
                } else {
                    ctx.next();
                }
            } else if (hasBody(ctx)) {
                buffering.handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private static boolean hasBody(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null && method != HttpMethod.GET
                && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    private static void answer(RoutingContext ctx, long maxBytes, String problemType, String detail) {
        JsonObject problem = new JsonObject().put("type", problemType).put("title", "Request body too large")
                .put("status", 413).put("detail", detail).put("instance", ctx.request().path())
                .put("maxBodyBytes", maxBytes);
        // the rest of the body is not read: the connection is closed after this answer
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(problem.encode());
    }
}
