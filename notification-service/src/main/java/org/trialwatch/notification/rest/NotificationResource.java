package org.trialwatch.notification.rest;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.trialwatch.notification.config.RateLimits;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.persistence.NotificationStore;
import org.trialwatch.notification.domain.quota.RateLimiter;
import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.support.problem.ProblemException;
import org.trialwatch.notification.persistence.DeliveryLogStore;

/** One notification: its delivery log, and replaying it. Visible to its subscription's team and to operators. */
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.SUBSCRIBER, Caller.OPERATOR})
public class NotificationResource {

    private final NotificationStore notifications;
    private final DeliveryLogStore deliveryLog;
    private final SubscriptionStore subscriptions;
    private final Caller caller;
    private final RateLimits rates;

    public NotificationResource(NotificationStore notifications, DeliveryLogStore deliveryLog,
                                SubscriptionStore subscriptions, Caller caller, RateLimits rates) {
        this.deliveryLog = deliveryLog;
        this.rates = rates;
        this.notifications = notifications;
        this.subscriptions = subscriptions;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    public DeliveryLog get(@PathParam("id") String id) {
        UUID notificationId = visible(id);
        return deliveryLog.log(notificationId).orElseThrow(() -> ProblemMappers.notFound("notification " + id));
    }

    /** Makes a dead-lettered (or delivered) notification due again with a fresh round of attempts, same webhook-id. */
    @POST
    @Path("/{id}/replay")
    @APIResponse(responseCode = "202", description = "Due again: {notificationId, status}")
    public Response replay(@PathParam("id") String id) {
        UUID notificationId = visible(id);
        if (!caller.isOperator()) {
            Subscription s = notifications.subscriptionOf(notificationId).flatMap(subscriptions::find).orElseThrow();
            RateLimiter.Decision decision = rates.replay(s.team(), s.id().toString());
            if (!decision.allowed()) {
                throw ProblemException.tooManyRequests("too many replays for this subscription or team",
                        (int) Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000));
            }
        }
        if (!deliveryLog.replay(notificationId, Instant.now())) {
            throw ProblemException.conflict("notification " + id + " is still pending: nothing to replay");
        }
        return Response.accepted(new SubscriptionRequests.Accepted(notificationId, "PENDING"))
                .location(URI.create("/api/notifications/" + notificationId)).build();
    }

    private UUID visible(String id) {
        UUID notificationId = SubscriptionResource.parseId(id);
        return notifications.subscriptionOf(notificationId)
                .flatMap(subscriptions::find)
                .filter(caller::sees)
                .map(s -> notificationId)
                .orElseThrow(() -> ProblemMappers.notFound("notification " + id));
    }
}
