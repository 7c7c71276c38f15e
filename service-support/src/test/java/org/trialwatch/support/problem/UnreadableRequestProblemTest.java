package org.trialwatch.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.RawHttp;

/**
 * A path the router cannot decode gets the problem+json answer every service gives, from a bare Vert.x router with
 * nothing but this handler installed (the services' own tests check that each of them installs it).
 */
class UnreadableRequestProblemTest {

    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new UnreadableRequestProblem().install(router);
        router.get("/api/summaries/:key").handler(ctx -> ctx.response().end("{}"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anUndecodablePathIsAProblemSayingWhyAndWhere() throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.actualPort(), "/api/summaries/PC%");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"about:blank\"").contains("\"status\":400")
                .contains("percent-encode").contains("\"instance\":\"/api/summaries/PC%\"");
    }

    @Test
    void aDecodablePathIsLeftAlone() throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.actualPort(), "/api/summaries/PC%2Ex");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
    }
}
