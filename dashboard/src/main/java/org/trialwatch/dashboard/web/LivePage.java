package org.trialwatch.dashboard.web;

import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.client.SseEvent;

import org.trialwatch.dashboard.client.NotificationClient;
import org.trialwatch.dashboard.config.DashboardConfig;
import org.trialwatch.dashboard.live.FeedItem;
import org.trialwatch.dashboard.session.Viewer;

/**
 * The live feed: a page, and the stream behind it, which relays the notification service's stream with the viewer's
 * token. Event ids are passed through unchanged, so when the browser reconnects with Last-Event-ID the service
 * replays what was missed.
 */
@Path("/live")
public class LivePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance live(boolean signedIn);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationClient notification;
    private final Viewer viewer;
    private final Vertx vertx;
    private final Duration heartbeat;

    public LivePage(@RestClient NotificationClient notification, Viewer viewer, Vertx vertx, DashboardConfig config) {
        this.notification = notification;
        this.viewer = viewer;
        this.vertx = vertx;
        this.heartbeat = config.liveHeartbeat();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.live(viewer.signedIn());
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId) {
        if (!viewer.signedIn()) {
            // 401 (not 200) tells the browser's EventSource to stop retrying
            throw new WebApplicationException(Response.status(401).build());
        }
        String bearer = viewer.bearer();
        return Multi.createFrom().emitter(out -> {
            out.emit(sse.newEventBuilder().comment("connected").reconnectDelay(1000).build());
            long timer = vertx.setPeriodic(heartbeat.toMillis(),
                    tick -> out.emit(sse.newEventBuilder().comment("heartbeat").build()));
            // when the service's stream ends or fails, end ours: the browser reconnects with its Last-Event-ID
            Cancellable upstream = notification.stream(bearer, lastEventId).subscribe().with(
                    event -> relay(sse, event, out), failure -> out.complete(), out::complete);
            out.onTermination(() -> {
                vertx.cancelTimer(timer);
                upstream.cancel();
            });
        });
    }

    private static void relay(Sse sse, SseEvent<String> event, io.smallrye.mutiny.subscription.MultiEmitter<? super OutboundSseEvent> out) {
        if (event.data() == null || event.data().isBlank()) {
            return;
        }
        FeedItem item = FeedItem.of(event.name(), event.data());
        String json;
        try {
            json = JSON.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            return;
        }
        OutboundSseEvent.Builder b = sse.newEventBuilder().name("change").mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, json);
        if (event.id() != null) {
            b.id(event.id());
        }
        out.emit(b.build());
    }
}
