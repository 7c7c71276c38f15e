package org.trialwatch.system.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

/**
 * The benchmark's POSTs of status changes, through {@link HttpURLConnection} with kept-alive connections.
 *
 * <p>Why not the JDK's {@link HttpClient}, as everywhere else in the benchmark: the benchmark shares the two cores with
 * the system it measures, and at 200 changes/s its asynchronous client (selector thread, executor hand-offs) used
 * about a quarter of a core, which the system's latencies then paid for. A blocking exchange on a kept-alive connection
 * costs a fraction of that. The answer is an {@link HttpResponse}, so the code reading it is the same for both.
 */
final class PlainHttp {

    static {
        // idle kept-alive connections per host (default 5): the open-loop sender has up to one change per trial in
        // flight, and a connection not kept would be a new TCP connection for the registry to accept
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "512");
        }
    }

    private PlainHttp() {
    }

    static HttpResponse<String> post(String url, Map<String, String> headers, String body) throws IOException {
        URI uri = URI.create(url);
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        c.setDoOutput(true);
        headers.forEach(c::setRequestProperty);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        c.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(bytes);
        }
        int status = c.getResponseCode();
        // the body is read to its end (an error's too), so the connection goes back to the kept-alive pool
        String text;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            text = in == null ? "" : readAll(in);
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                fields.put(name, values);
            }
        });
        return new Answer(uri, status, HttpHeaders.of(fields, (n, v) -> true), text);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private record Answer(URI uri, int statusCode, HttpHeaders headers, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
