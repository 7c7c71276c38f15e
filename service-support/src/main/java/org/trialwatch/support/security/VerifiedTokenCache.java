package org.trialwatch.support.security;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers a bearer token that passed verification for a short while, so a client sending the same token with every
 * request (a curator's script, the dashboard, a benchmark) is verified once, not on each call: the RS256 signature
 * check and claim validation were 13.5 % of the registry's CPU on its write path (docs/performance.md, session 4).
 * <p>
 * It is what Quarkus' JWT validator calls ({@code JWTParser.parse(String)}), in front of SmallRye's own parser. Only a
 * token that verified is remembered, keyed by its exact text (a changed byte is a different token and is verified);
 * it is forgotten after {@code trialwatch.security.verified-token-hold} (30 s) and never kept past its own {@code exp},
 * so an expired token is refused as before. A key rotation or a change of the token-age rule applies to a remembered
 * token at most that long after. {@code trialwatch.security.verified-token-hold=0s} turns the cache off.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    private final JWTParser verifier;
    private final Duration hold;
    private final LongSupplier nowMillis;
    private final Cache<String, JsonWebToken> verified;
    private final LongAdder hits = new LongAdder();

    @Inject
    public VerifiedTokenCache(DefaultJWTParser verifier,
            @ConfigProperty(name = "trialwatch.security.verified-token-hold", defaultValue = "30s") Duration hold,
            @ConfigProperty(name = "trialwatch.security.verified-token-cache-size", defaultValue = "10000") long size) {
        this(verifier, hold, size, System::currentTimeMillis);
    }

    VerifiedTokenCache(JWTParser verifier, Duration hold, long size, LongSupplier nowMillis) {
        this.verifier = verifier;
        this.hold = hold;
        this.nowMillis = nowMillis;
        this.verified = Caffeine.newBuilder().maximumSize(size).expireAfter(new UntilHoldOrExpiry()).build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (hold.isZero() || token == null) {
            return verifier.parse(token);
        }
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null && stillValid(known)) {
            hits.increment();
            return known;
        }
        JsonWebToken fresh = verifier.parse(token);
        verified.put(token, fresh);
        return fresh;
    }

    /** How many requests were answered from the cache (for tests and operators' curiosity). */
    public long hits() {
        return hits.sum();
    }

    private boolean stillValid(JsonWebToken jwt) {
        return jwt.getExpirationTime() <= 0 || nowMillis.getAsLong() < jwt.getExpirationTime() * 1000;
    }

    /** Caffeine's expiry: the hold, cut short by the token's own expiry time. */
    private final class UntilHoldOrExpiry implements Expiry<String, JsonWebToken> {
        @Override
        public long expireAfterCreate(String token, JsonWebToken jwt, long currentTime) {
            long holdNanos = hold.toNanos();
            long exp = jwt.getExpirationTime();
            if (exp <= 0) {
                return holdNanos;
            }
            long untilExpiry = TimeUnit.MILLISECONDS.toNanos(Math.max(0, exp * 1000 - nowMillis.getAsLong()));
            return Math.min(holdNanos, untilExpiry);
        }

        @Override
        public long expireAfterUpdate(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    // The rest of the parser's surface is not on the request path: straight to SmallRye's parser.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
