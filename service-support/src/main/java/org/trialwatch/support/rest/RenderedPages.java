package org.trialwatch.support.rest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The rendered bytes of JSON list pages, keyed by the page's whole query, each with a strong ETag of its bytes
 * (ADR 0009). A page is served from here only while the writes counter it was rendered under is still current (this
 * replica's own writes drop it as soon as they commit, see {@code CommittedWrites}) and for at most {@link #TTL}
 * (another replica's writes). A miss renders once per query: readers of the same query wait for that render instead
 * of each running it.
 */
public final class RenderedPages {

    /** How long another replica's committed write can go unseen here. */
    static final Duration TTL = Duration.ofSeconds(1);

    /** The type the lists had when Quarkus wrote them from objects, kept now that they are sent as bytes. */
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    /** A page's body as sent, and its ETag (quoted). */
    record Page(byte[] body, String etag) {
    }

    private record Key(Object query, long generation) {
    }

    private final Cache<Key, Page> pages;
    private final LongSupplier generation;

    /**
     * {@code generation} moves whenever this replica writes what the pages show (and again when that commits);
     * at most {@code maxBytes} of pages are kept.
     */
    public RenderedPages(LongSupplier generation, long maxBytes) {
        this.generation = generation;
        this.pages = Caffeine.newBuilder().expireAfterWrite(TTL).maximumWeight(maxBytes)
                .weigher((Key k, Page p) -> p.body().length).build();
    }

    /**
     * The page of {@code query}: the stored one if rendered under the current writes counter within {@link #TTL},
     * else {@code render}'s. The counter is read before rendering, so a render that raced a commit is stored under the
     * counter the commit then moves past, and is never served after it.
     */
    Page get(Object query, Supplier<byte[]> render) {
        return pages.get(new Key(query, generation.getAsLong()), k -> page(render.get()));
    }

    /**
     * The response for {@code query}: 304 when {@code ifNoneMatch} names the page's ETag, else the page's JSON bytes;
     * both with the ETag and {@code Cache-Control: no-cache} (a client may keep the page but asks again each time).
     */
    public Response respond(Object query, Supplier<byte[]> render, String ifNoneMatch) {
        Page page = get(query, render);
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        if (matches(ifNoneMatch, page.etag())) {
            return Response.notModified().header(HttpHeaders.ETAG, page.etag()).cacheControl(revalidate).build();
        }
        return Response.ok(page.body(), JSON_UTF8).header(HttpHeaders.ETAG, page.etag())
                .cacheControl(revalidate).build();
    }

    static Page page(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Page(body, "\"" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(digest, 16)) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Whether an If-None-Match header names {@code etag} (quoted; or the header is {@code *}); weak tags compare by
     * their value.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
