package org.trialwatch.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A form larger than the dashboard's body limit (64K) is refused with 413 however it is framed, with the dashboard's
 * own error page when it declares its length as browsers do; a form within the limit reaches the page (here it is
 * refused for want of a sign-in, not for its size).
 */
@QuarkusTest
class BodySizeLimitPageIT {

    // HTTP/1.1, as browsers speak over plain http: the JDK client would otherwise upgrade to HTTP/2 (h2c), where the
    // server's refusal of the chunked body may arrive as a GOAWAY that fails the exchange before its 413 is read
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/subscriptions")
    URL subscriptions;

    @Test
    void anOversizedChunkedBodyIsCutOff() throws Exception {
        byte[] form = form(100 * 1024);
        // a publisher of unknown length: the client sends the body chunked, without a Content-Length
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)));

        // Quarkus' own enforcement of the same limit: a bare 413 (only a script sends a form chunked)
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void anOversizedDeclaredFormGetsTheErrorPage() throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(form(100 * 1024)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.body()).contains("Too much to send").contains("65536 bytes");
    }

    @Test
    void aFormWithinTheLimitReachesThePage() throws Exception {
        byte[] form = form(1024);
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)));

        assertThat(response.statusCode()).isNotEqualTo(413);
        assertThat(response.body()).doesNotContain("Too much to send");
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(subscriptions.toString()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(body).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static byte[] form(int bytes) {
        return ("name=" + "a".repeat(bytes - 5)).getBytes(StandardCharsets.US_ASCII);
    }
}
