package org.trialwatch.notification.rest;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.config.RateLimits;
import org.trialwatch.notification.domain.quota.RateLimiter;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.persistence.NotificationStore;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.notification.domain.subscription.SubscriptionRules;
import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.notification.delivery.mail.ConfirmationTokens;
import org.trialwatch.notification.application.SubscriptionVerifier;
import org.trialwatch.notification.delivery.webhook.UnsafeTargetException;
import org.trialwatch.notification.delivery.webhook.WebhookPayloads;
import org.trialwatch.notification.delivery.webhook.WebhookSecret;
import org.trialwatch.notification.delivery.webhook.WebhookTargetGuard;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.Problem;
import org.trialwatch.support.problem.ProblemException;
import org.trialwatch.notification.persistence.DeliveryLogStore;

/** A team's subscriptions. Another team's subscription answers 404 to every method. */
@Path("/api/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.SUBSCRIBER, Caller.OPERATOR})
public class SubscriptionResource {

    private static final Logger LOG = Logger.getLogger(SubscriptionResource.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A count quota frees up only when the team deletes: the wait is a hint for clients that retry by themselves. */
    private static final int QUOTA_RETRY_AFTER_SECONDS = 3600;

    private final SubscriptionStore store;
    private final NotificationStore notifications;
    private final DeliveryLogStore deliveryLog;
    private final WebhookTargetGuard guard;
    private final NotificationSettings settings;
    private final WebhookPayloads payloads;
    private final Caller caller;
    private final RateLimits rates;
    private final SubscriptionVerifier verifier;

    public SubscriptionResource(SubscriptionStore store, NotificationStore notifications, DeliveryLogStore deliveryLog,
                                WebhookTargetGuard guard,
                                NotificationSettings settings, Caller caller, RateLimits rates,
                                SubscriptionVerifier verifier) {
        this.rates = rates;
        this.verifier = verifier;
        this.store = store;
        this.notifications = notifications;
        this.deliveryLog = deliveryLog;
        this.guard = guard;
        this.settings = settings;
        this.caller = caller;
        this.payloads = new WebhookPayloads(settings.links().registryBaseUrl(), settings.links().evidenceBaseUrl());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created: the subscription, with its signing secret (shown only here)."
            + " It delivers once verified: a webhook endpoint must answer the signed verification event (sent before"
            + " this answer) with 2xx; an e-mail address must follow the link mailed to it. See verification.status."
            + " A contactEmail is mailed its own confirmation link and told nothing else until it follows it"
            + " (contactEmailConfirmed).")
    public Response create(SubscriptionRequests.Create request) {
        if (request == null) {
            throw ProblemMappers.invalid(List.of(new FieldError("body", "is required")));
        }
        String team = caller.team();
        SubscriptionFilter filter = request.filter() == null ? SubscriptionFilter.everything()
                : withCanonicalNctIds(request.filter());
        Channel channel = request.channel() == null ? null : request.channel().domain();
        check(request.name(), channel, request.url(), request.email(), request.contactEmail(), filter);
        Instant now = Instant.now();
        Subscription s = new Subscription(UUID.randomUUID(), team, request.name().trim(), channel,
                trimmed(request.url()), trimmed(request.email()), trimmed(request.contactEmail()), filter,
                request.enabled() == null || request.enabled(), null, now, now, null, null, null);
        String secret = s.channel() == Channel.WEBHOOK
                ? WebhookSecret.generate(RANDOM, settings.webhooks().secretBytes()) : null;
        int quota = settings.limits().subscriptionsPerTeam();
        if (!store.insertWithinQuota(s, secret, quota)) {
            throw ProblemException.tooManyRequests("team " + team + " has " + quota + " subscriptions, the most"
                    + " allowed: delete one first", QUOTA_RETRY_AFTER_SECONDS);
        }
        s = beginVerification(s);
        beginContactConfirmation(s);
        return Response.created(URI.create("/api/subscriptions/" + s.id()))
                .entity(SubscriptionRequests.View.of(s, secret)).build();
    }

    /**
     * Newest first, as a page {@code {items, next, limit}} ({@code limit} from 1 to 200, 50 when not given): pass
     * {@code next} back as {@code cursor} for the following page. A {@code Link: <…?cursor=…>; rel="next"} header names
     * the same page.
     */
    @GET
    @Operation(summary = "The team's subscriptions, newest first", description = "A page {items, next, limit}: follow "
            + "the 'next' cursor while it is not null; limit from 1 to 200, 50 when not given. Operators see every "
            + "team's, or one team's with ?team=.")
    public RestResponse<Paging.Page<SubscriptionRequests.View>> list(@QueryParam("team") String team,
                                                                    @QueryParam("cursor") String cursor,
                                                                    @QueryParam("limit") String limit) {
        List<FieldError> errors = new ArrayList<>();
        int size = Paging.limit(limit, errors);
        SubscriptionStore.Cursor after = Paging.cursor(cursor, errors);
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        String scope = caller.isOperator() ? team : caller.team();
        List<Subscription> found = store.page(scope, after, size + 1);
        String next = null;
        if (found.size() > size) {
            Subscription last = found.get(size - 1);
            next = new SubscriptionStore.Cursor(last.createdAt(), last.id()).text();
        }
        RestResponse.ResponseBuilder<Paging.Page<SubscriptionRequests.View>> page = RestResponse.ResponseBuilder.ok(
                new Paging.Page<>(found.stream().limit(size).map(s -> SubscriptionRequests.View.of(s, null)).toList(),
                        next, size));
        if (next != null) {
            page.header("Link", "</api/subscriptions?" + (scope != null && caller.isOperator()
                    ? "team=" + java.net.URLEncoder.encode(scope, java.nio.charset.StandardCharsets.UTF_8) + "&" : "")
                    + "cursor=" + next + "&limit=" + size + ">; rel=\"next\"");
        }
        return page.build();
    }

    @GET
    @Path("/{id}")
    public SubscriptionRequests.View get(@PathParam("id") String id) {
        return SubscriptionRequests.View.of(visible(id), null);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public SubscriptionRequests.View patch(@PathParam("id") String id, SubscriptionRequests.Patch patch) {
        Subscription s = visible(id);
        if (patch == null) {
            throw ProblemMappers.invalid(List.of(new FieldError("body", "is required")));
        }
        if (!caller.owns(s) && (patch.name() != null || patch.url() != null || patch.email() != null
                || patch.contactEmail() != null || patch.filter() != null)) {
            // operators may stop or restart another team's deliveries, never redirect them
            throw new ProblemException(Problem.of("operator-limited", "Not the owning team", 403,
                    "an operator may only change 'enabled' of another team's subscription (or delete or replay it)"));
        }
        String name = patch.name() != null ? patch.name() : s.name();
        String url = patch.url() != null ? patch.url() : s.url();
        String email = patch.email() != null ? patch.email() : s.email();
        String contact = patch.contactEmail() != null ? patch.contactEmail() : s.contactEmail();
        SubscriptionFilter filter = patch.filter() != null ? withCanonicalNctIds(patch.filter()) : s.filter();
        check(name, s.channel(), url, email, contact, filter);
        boolean enabled = patch.enabled() != null ? patch.enabled() : s.enabled();
        boolean reEnabled = enabled && !s.enabled();
        // a new URL or address has not agreed to anything: it is verified anew before anything goes there
        boolean targetChanged = !java.util.Objects.equals(trimmed(url), s.url())
                || !java.util.Objects.equals(trimmed(email), s.email());
        // likewise a new contact address is told nothing but its confirmation link until it follows it
        boolean contactChanged = !java.util.Objects.equals(trimmed(contact), s.contactEmail());
        Subscription updated = new Subscription(s.id(), s.team(), name.trim(), s.channel(), trimmed(url),
                trimmed(email), trimmed(contact), filter, enabled, enabled ? null : s.disabledReason() != null
                ? s.disabledReason() : "disabled by the team", s.createdAt(), Instant.now(),
                targetChanged ? null : s.verifiedAt(), targetChanged ? null : s.verificationError(),
                contactChanged ? null : s.contactEmailConfirmedAt());
        store.update(updated, reEnabled, targetChanged);
        if (targetChanged) {
            updated = beginVerification(updated);
        }
        if (contactChanged) {
            beginContactConfirmation(updated);
        }
        return SubscriptionRequests.View.of(updated, null);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        Subscription s = visible(id);
        store.delete(s.id());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @APIResponse(responseCode = "202", description = "A signed test notification is queued: {notificationId, status}")
    public Response test(@PathParam("id") String id) {
        Subscription s = visible(id);
        if (!s.verified()) {
            throw ProblemException.conflict("the subscription is not verified yet: nothing is sent to its target until"
                    + " it is (" + SubscriptionRequests.Verification.of(s).reason() + ")");
        }
        RateLimiter.Decision decision = rates.test(s.team(), s.id().toString());
        if (!decision.allowed()) {
            throw ProblemException.tooManyRequests("too many test sends for this subscription or team",
                    (int) Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000));
        }
        Instant now = Instant.now();
        UUID notificationId = notifications.insertTest(s.id(), payloads.forTest(s.id().toString(), now), now);
        return Response.accepted(new SubscriptionRequests.Accepted(notificationId, "PENDING"))
                .location(URI.create("/api/notifications/" + notificationId)).build();
    }

    /**
     * Sends the confirmation mail again, or the verification event to the endpoint again, and the contact address's
     * confirmation mail again while it is unconfirmed; rate limited per subscription and team. A verified subscription
     * whose contact address (if any) has confirmed is answered as it is.
     */
    @POST
    @Path("/{id}/verify")
    @APIResponse(responseCode = "200", description = "The subscription with its verification state after this attempt")
    public SubscriptionRequests.View verify(@PathParam("id") String id) {
        Subscription s = visible(id);
        if (s.verified() && !s.contactEmailPending()) {
            return SubscriptionRequests.View.of(s, null);
        }
        RateLimiter.Decision decision = rates.verification(s.team(), s.id().toString());
        if (!decision.allowed()) {
            throw ProblemException.tooManyRequests("too many verification requests for this subscription or team",
                    seconds(decision));
        }
        Subscription started = verifier.start(s);
        verifier.startContactConfirmation(started);
        return SubscriptionRequests.View.of(started, null);
    }

    /**
     * The link of a confirmation mail: readable without a token, because it is opened from the mail. The signed
     * token binds the subscription, the address and the expiry; the address is confirmed only while it is unchanged.
     */
    @GET
    @Path("/{id}/confirm")
    @PermitAll
    @APIResponse(responseCode = "200", description = "Confirmed: e-mails for this subscription go to the address from now on")
    @APIResponse(responseCode = "403", description = "Not a valid link for this subscription and address")
    @APIResponse(responseCode = "410", description = "The link expired: the team can ask for a new one")
    public SubscriptionRequests.Confirmed confirm(@PathParam("id") String id, @QueryParam("expires") String expires,
                                                  @QueryParam("token") String token) {
        UUID uuid = parseId(id);
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw invalidLink();
        }
        Subscription s = store.find(uuid).orElseThrow(() -> ProblemMappers.notFound("subscription " + id));
        if (!s.verified()) {
            switch (verifier.confirm(s, expiresAt, token)) {
                case VALID -> { }
                case EXPIRED -> throw new ProblemException(Problem.of("confirmation-link-expired",
                        "Confirmation link expired", 410, "this link has expired; the team can send a new one with"
                                + " POST /api/subscriptions/" + s.id() + "/verify"));
                case INVALID -> throw invalidLink();
            }
        } else if (verifier.confirmationCheck(s, expiresAt, token) == ConfirmationTokens.Check.INVALID) {
            throw invalidLink();
        }
        return new SubscriptionRequests.Confirmed(s.id(), s.email(), "verified");
    }

    /**
     * The link of a contact address's confirmation mail, opened from the mail like the one above and answered the same
     * way: the signed token binds the subscription, the contact address and the expiry, and confirms only while the
     * address is unchanged. Following it again is harmless.
     */
    @GET
    @Path("/{id}/contact/confirm")
    @PermitAll
    @APIResponse(responseCode = "200", description = "Confirmed: notices of a failing or disabled endpoint go to the"
            + " contact address from now on")
    @APIResponse(responseCode = "403", description = "Not a valid link for this subscription and contact address")
    @APIResponse(responseCode = "410", description = "The link expired: the team can ask for a new one")
    public SubscriptionRequests.ContactConfirmed confirmContact(@PathParam("id") String id,
                                                                @QueryParam("expires") String expires,
                                                                @QueryParam("token") String token) {
        UUID uuid = parseId(id);
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw invalidLink();
        }
        Subscription s = store.find(uuid).orElseThrow(() -> ProblemMappers.notFound("subscription " + id));
        switch (verifier.confirmContact(s, expiresAt, token)) {
            case VALID -> { }
            case EXPIRED -> throw new ProblemException(Problem.of("confirmation-link-expired",
                    "Confirmation link expired", 410, "this link has expired; the team can send a new one with"
                            + " POST /api/subscriptions/" + s.id() + "/verify"));
            case INVALID -> throw invalidLink();
        }
        return new SubscriptionRequests.ContactConfirmed(s.id(), s.contactEmail(), true);
    }

    private static ProblemException invalidLink() {
        return new ProblemException(Problem.of("invalid-confirmation-link", "Invalid confirmation link", 403,
                "this is not a valid confirmation link for the subscription and its current address"));
    }

    /** Takes a verification send from the team's budget and starts it, or records why it was not started. */
    private Subscription beginVerification(Subscription s) {
        RateLimiter.Decision decision = rates.verification(s.team(), s.id().toString());
        if (!decision.allowed()) {
            return verifier.notStarted(s, "not verified: too many verification requests by this team; ask again in "
                    + seconds(decision) + " s with POST /api/subscriptions/" + s.id() + "/verify");
        }
        return verifier.start(s);
    }

    /** Takes a send from the team's verification budget and mails the contact address its link, if it has one pending. */
    private void beginContactConfirmation(Subscription s) {
        if (!s.contactEmailPending()) {
            return;
        }
        RateLimiter.Decision decision = rates.verification(s.team(), s.id().toString());
        if (!decision.allowed()) {
            // the view shows contactEmailConfirmed: false; the team can ask again with POST …/verify
            LOG.infof("contact confirmation mail for subscription %s not sent: the team's verification budget is spent",
                    s.id());
            return;
        }
        verifier.startContactConfirmation(s);
    }

    private static int seconds(RateLimiter.Decision decision) {
        return (int) Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
    }

    @POST
    @Path("/{id}/rotate-secret")
    public SubscriptionRequests.RotatedSecret rotate(@PathParam("id") String id) {
        Subscription s = visible(id);
        if (!caller.owns(s)) {
            // the new secret is handed out in the answer: only the owning team may have it
            throw new ProblemException(Problem.of("operator-limited", "Not the owning team", 403,
                    "only the owning team can rotate its signing secret"));
        }
        if (s.channel() != Channel.WEBHOOK) {
            throw ProblemException.conflict("only webhook subscriptions have a signing secret");
        }
        String secret = WebhookSecret.generate(RANDOM, settings.webhooks().secretBytes());
        Instant until = store.rotateSecret(s.id(), secret, Instant.now(), settings.webhooks().rotationOverlap());
        return new SubscriptionRequests.RotatedSecret(s.id(), secret, until);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The subscription's notifications with every delivery attempt, newest first",
            description = "A page {items, next, limit}: follow the 'next' cursor while it is not null; limit from 1 to "
                    + "200, 50 when not given. 'deliveries' repeats items for older clients (deprecated).")
    public Map<String, Object> deliveries(@PathParam("id") String id, @QueryParam("cursor") String cursor,
                                          @QueryParam("limit") String limit) {
        Subscription s = visible(id);
        List<FieldError> errors = new ArrayList<>();
        int size = Paging.limit(limit, errors);
        SubscriptionStore.Cursor after = Paging.cursor(cursor, errors);
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        List<DeliveryLog> found = deliveryLog.deliveries(s.id(),
                after == null ? null : new DeliveryLogStore.After(after.createdAt(), after.id()), size + 1);
        List<DeliveryLog> logs = found.stream().limit(size).toList();
        // items/next/limit as in every list; "deliveries" repeats items for older clients (deprecated)
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("subscriptionId", s.id());
        page.put("items", logs);
        page.put("next", found.size() > size ? DeadLetterResource.cursorAfter(logs.get(size - 1)) : null);
        page.put("limit", size);
        page.put("deliveries", logs);
        return page;
    }

    private Subscription visible(String id) {
        UUID uuid = parseId(id);
        return store.find(uuid).filter(caller::sees)
                .orElseThrow(() -> ProblemMappers.notFound("subscription " + id));
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemMappers.notFound("\"" + id + "\"");
        }
    }

    private void check(String name, Channel channel, String url, String email, String contact, SubscriptionFilter filter) {
        List<FieldError> errors = new ArrayList<>(SubscriptionRules.errors(name, channel, url, email, contact, filter));
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        if (channel == Channel.WEBHOOK) {
            try {
                guard.check(url);
            } catch (UnsafeTargetException e) {
                throw new ProblemException(Problem.of("unsafe-webhook-target",
                        "Webhook target refused", 422, "the webhook URL may not be called: " + e.getMessage())
                        .withErrors(List.of(new FieldError("url", e.getMessage()))));
            }
        }
    }

    /** NCT ids are case-insensitive: keep and show them as ClinicalTrials.gov writes them ("nct05379985" → "NCT05379985"). */
    static SubscriptionFilter withCanonicalNctIds(SubscriptionFilter f) {
        List<String> ids = f.nctIds().stream().map(id -> id == null ? null : id.strip().toUpperCase(Locale.ROOT)).toList();
        return new SubscriptionFilter(ids, f.tumourTypes(), f.mechanisms(), f.therapyClasses(), f.eventTypes(),
                f.statusTransitions(), f.evidenceGroups());
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }
}
