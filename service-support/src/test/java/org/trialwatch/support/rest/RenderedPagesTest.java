package org.trialwatch.support.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class RenderedPagesTest {

    private final AtomicLong writes = new AtomicLong();
    private final AtomicInteger renders = new AtomicInteger();
    private final RenderedPages pages = new RenderedPages(writes::get, 1024 * 1024);

    private byte[] render() {
        return ("{\"render\":" + renders.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPageIsRenderedOncePerQueryUntilTheWritesCounterMoves() {
        RenderedPages.Page first = pages.get("limit=50", this::render);
        assertThat(pages.get("limit=50", this::render)).isSameAs(first);
        assertThat(renders).hasValue(1);

        pages.get("limit=10", this::render);
        assertThat(renders).as("another query is another page").hasValue(2);

        writes.incrementAndGet();
        RenderedPages.Page afterWrite = pages.get("limit=50", this::render);
        assertThat(renders).hasValue(3);
        assertThat(afterWrite.etag()).isNotEqualTo(first.etag());
    }

    @Test
    void theSameBytesHaveTheSameStrongEtag() {
        RenderedPages.Page a = RenderedPages.page("[1,2]".getBytes(StandardCharsets.UTF_8));
        RenderedPages.Page b = RenderedPages.page("[1,2]".getBytes(StandardCharsets.UTF_8));
        assertThat(a.etag()).isEqualTo(b.etag()).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
        assertThat(RenderedPages.page("[1,3]".getBytes(StandardCharsets.UTF_8)).etag()).isNotEqualTo(a.etag());
    }

    @Test
    void anUnchangedPageIsAnsweredWith304AndAChangedOneWithItsBytes() {
        Response first = pages.respond("q", this::render, null);
        assertThat(first.getStatus()).isEqualTo(200);
        String etag = first.getHeaderString(HttpHeaders.ETAG);
        assertThat(first.getHeaderString(HttpHeaders.CACHE_CONTROL)).contains("no-cache");
        assertThat(new String((byte[]) first.getEntity(), StandardCharsets.UTF_8)).isEqualTo("{\"render\":1}");

        assertThat(pages.respond("q", this::render, etag).getStatus()).isEqualTo(304);
        assertThat(pages.respond("q", this::render, "\"other\", W/" + etag).getStatus())
                .as("a weak tag in a list compares by its value").isEqualTo(304);
        assertThat(pages.respond("q", this::render, "*").getStatus()).isEqualTo(304);

        writes.incrementAndGet();
        Response changed = pages.respond("q", this::render, etag);
        assertThat(changed.getStatus()).isEqualTo(200);
        assertThat(changed.getHeaderString(HttpHeaders.ETAG)).isNotEqualTo(etag);
    }
}
