package org.trialwatch.dashboard.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Multi;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.client.SseEvent;

/**
 * The notification service's team API and live stream ({@code TRIALWATCH_NOTIFICATION_URL}). Every call carries the
 * signed-in person's bearer token: the service, not the dashboard, decides what their team may see.
 */
@RegisterRestClient(configKey = "notification")
@Path("/api")
public interface NotificationClient {

    @GET
    @Path("subscriptions")
    @Produces(MediaType.APPLICATION_JSON)
    Pages.Page<NotificationModel.Subscription> subscriptions(@HeaderParam("Authorization") String bearer,
                                                             @QueryParam("cursor") String cursor,
                                                             @QueryParam("limit") Integer limit);

    @POST
    @Path("subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.Subscription create(@HeaderParam("Authorization") String bearer, NotificationModel.Create body);

    @GET
    @Path("subscriptions/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.Subscription subscription(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @PATCH
    @Path("subscriptions/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.Subscription patch(@HeaderParam("Authorization") String bearer, @PathParam("id") String id,
                                         NotificationModel.Patch body);

    @DELETE
    @Path("subscriptions/{id}")
    void delete(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @POST
    @Path("subscriptions/{id}/test")
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.Accepted test(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @POST
    @Path("subscriptions/{id}/rotate-secret")
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.RotatedSecret rotateSecret(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("subscriptions/{id}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    NotificationModel.Deliveries deliveries(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    /** Server-Sent Events; Last-Event-ID resumes after the last event seen. */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<SseEvent<String>> stream(@HeaderParam("Authorization") String bearer,
                                   @HeaderParam("Last-Event-ID") String lastEventId);
}
