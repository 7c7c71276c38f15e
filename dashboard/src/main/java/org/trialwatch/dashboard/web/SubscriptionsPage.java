package org.trialwatch.dashboard.web;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;

import org.trialwatch.dashboard.client.NotificationModel;
import org.trialwatch.dashboard.client.NotificationClient;
import org.trialwatch.dashboard.client.Pages;
import org.trialwatch.dashboard.client.ProblemDetails;
import org.trialwatch.dashboard.session.Viewer;

/**
 * The signed-in person's team's subscriptions: list, create (filters from the same facets as the trials table),
 * enable/disable, delete, send a test, rotate the secret, and the delivery log. A webhook's signing secret is shown
 * once, on the page that answers its creation or rotation, and kept nowhere by the dashboard.
 */
@Path("/subscriptions")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class SubscriptionsPage {

    /** What the create form held, so a refused form comes back as the person filled it in. */
    public record Form(String name, String channel, String url, String email, String contactEmail, List<String> tumourTypes,
                       String mechanisms, String therapyClasses, String nctIds, List<String> statusTransitions) {

        static Form empty() {
            return new Form("", "webhook", "", "", "", List.of(), "", "", "", List.of());
        }

        static Form of(NotificationModel.Subscription s) {
            NotificationModel.Filter f = s.filter() == null
                    ? new NotificationModel.Filter(null, null, null, null, null, null, null) : s.filter();
            return new Form(s.name(), s.channel(), orEmpty(s.url()), orEmpty(s.email()), orEmpty(s.contactEmail()),
                    orNone(f.tumourTypes()), String.join(", ", orNone(f.mechanisms())),
                    String.join(", ", orNone(f.therapyClasses())), String.join(", ", orNone(f.nctIds())),
                    orNone(f.statusTransitions()));
        }

        NotificationModel.Filter filter(NotificationModel.Filter kept) {
            return new NotificationModel.Filter(words(nctIds), tumourTypes, words(mechanisms), words(therapyClasses),
                    kept == null ? List.of() : orNone(kept.eventTypes()), statusTransitions,
                    kept == null ? List.of() : orNone(kept.evidenceGroups()));
        }

        private static List<String> orNone(List<String> l) {
            return l == null ? List.of() : l;
        }

        public boolean has(String tumourType) {
            return tumourTypes.contains(tumourType);
        }

        public boolean wants(String transition) {
            return statusTransitions.contains(transition);
        }
    }

    /** The page's state: a message after an action, a secret to show once, or the problems of a refused form. */
    public record SubscriptionList(String team, List<NotificationModel.Subscription> subscriptions, Form form,
                                   String notice, String secretFor, String secret, ProblemDetails problem,
                                   List<String> tumourTypes, List<String> transitions) {
    }

    public record EditView(NotificationModel.Subscription subscription, Form form, ProblemDetails problem,
                           List<String> tumourTypes, List<String> transitions) {
    }

    public record DeliveryLog(NotificationModel.Subscription subscription, List<NotificationModel.Delivery> deliveries) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(SubscriptionList page);

        static native TemplateInstance deliveries(DeliveryLog log);

        static native TemplateInstance edit(EditView view);
    }

    static final List<String> TRANSITIONS = List.of("->TERMINATED", "->SUSPENDED", "->COMPLETED", "->WITHDRAWN",
            "->ACTIVE_NOT_RECRUITING", "->RECRUITING");

    private final NotificationClient notification;
    private final Viewer viewer;

    public SubscriptionsPage(@RestClient NotificationClient notification, Viewer viewer) {
        this.notification = notification;
        this.viewer = viewer;
    }

    @GET
    public Response list() {
        if (!viewer.signedIn()) {
            return signIn();
        }
        return page(Form.empty(), null, null, null, null, Response.Status.OK);
    }

    @POST
    public Response create(@RestForm String name, @RestForm String channel, @RestForm String url, @RestForm String email,
                         @RestForm String contactEmail, @RestForm List<String> tumourTypes, @RestForm String mechanisms,
                         @RestForm String therapyClasses, @RestForm String nctIds,
                         @RestForm List<String> statusTransitions) {
        if (!viewer.signedIn()) {
            return signIn();
        }
        Form form = new Form(orEmpty(name), channel == null ? "webhook" : channel, orEmpty(url), orEmpty(email),
                orEmpty(contactEmail), tumourTypes == null ? List.of() : tumourTypes, orEmpty(mechanisms),
                orEmpty(therapyClasses), orEmpty(nctIds), statusTransitions == null ? List.of() : statusTransitions);
        boolean webhook = !"email".equals(form.channel());
        NotificationModel.Filter filter = form.filter(null);
        NotificationModel.Create body = new NotificationModel.Create(form.name(), webhook ? "webhook" : "email",
                webhook ? blankToNull(form.url()) : null, webhook ? null : blankToNull(form.email()),
                blankToNull(form.contactEmail()), filter);
        try {
            NotificationModel.Subscription created = notification.create(viewer.bearer(), body);
            return page(Form.empty(), "Subscription “" + created.name() + "” created.", created.secret() == null ? null
                    : created.name(), created.secret(), null, Response.Status.CREATED);
        } catch (WebApplicationException e) {
            ProblemDetails problem = ProblemDetails.of(e);
            if (problem.status() >= 500) {
                throw e;
            }
            return page(form, null, null, null, problem, Response.Status.fromStatusCode(problem.status()));
        }
    }

    @POST
    @Path("{id}/{action:enable|disable|delete|test|rotate-secret}")
    public Response act(@PathParam("id") String id, @PathParam("action") String action) {
        if (!viewer.signedIn()) {
            return signIn();
        }
        String bearer = viewer.bearer();
        switch (action) {
            case "enable", "disable" -> {
                NotificationModel.Subscription s = notification.patch(bearer, id,
                        NotificationModel.Patch.enabled("enable".equals(action)));
                return page(Form.empty(), "“" + s.name() + "” " + ("enable".equals(action) ? "enabled." : "disabled."),
                        null, null, null, Response.Status.OK);
            }
            case "delete" -> {
                NotificationModel.Subscription s = notification.subscription(bearer, id);
                notification.delete(bearer, id);
                return page(Form.empty(), "“" + s.name() + "” deleted.", null, null, null, Response.Status.OK);
            }
            case "test" -> {
                NotificationModel.Subscription s = notification.subscription(bearer, id);
                notification.test(bearer, id);
                return page(Form.empty(), "A signed test event is on its way to “" + s.name()
                        + "”; its delivery appears in the delivery log.", null, null, null, Response.Status.OK);
            }
            default -> {
                NotificationModel.Subscription s = notification.subscription(bearer, id);
                NotificationModel.RotatedSecret rotated = notification.rotateSecret(bearer, id);
                return page(Form.empty(), "New secret for “" + s.name() + "”; the previous one stays valid until "
                        + Labels.when(rotated.previousSecretsValidUntil()) + ".", s.name(), rotated.secret(), null,
                        Response.Status.OK);
            }
        }
    }

    @GET
    @Path("{id}/edit")
    public Response edit(@PathParam("id") String id) {
        if (!viewer.signedIn()) {
            return signIn();
        }
        NotificationModel.Subscription s = notification.subscription(viewer.bearer(), id);
        return Response.ok(Templates.edit(new EditView(s, Form.of(s), null, TrialsPage.TUMOUR_TYPES, TRANSITIONS))
                .render(), MediaType.TEXT_HTML_TYPE).build();
    }

    @POST
    @Path("{id}")
    public Response save(@PathParam("id") String id, @RestForm String name, @RestForm String url,
                         @RestForm String email, @RestForm String contactEmail, @RestForm List<String> tumourTypes,
                         @RestForm String mechanisms, @RestForm String therapyClasses, @RestForm String nctIds,
                         @RestForm List<String> statusTransitions) {
        if (!viewer.signedIn()) {
            return signIn();
        }
        NotificationModel.Subscription s = notification.subscription(viewer.bearer(), id);
        Form form = new Form(orEmpty(name), s.channel(), orEmpty(url), orEmpty(email), orEmpty(contactEmail),
                tumourTypes == null ? List.of() : tumourTypes, orEmpty(mechanisms), orEmpty(therapyClasses),
                orEmpty(nctIds), statusTransitions == null ? List.of() : statusTransitions);
        boolean webhook = "webhook".equals(s.channel());
        try {
            NotificationModel.Subscription saved = notification.patch(viewer.bearer(), id, new NotificationModel.Patch(
                    form.name(), webhook ? blankToNull(form.url()) : null, webhook ? null : blankToNull(form.email()),
                    blankToNull(form.contactEmail()),
                    form.filter(s.filter()), null));
            return page(Form.empty(), "“" + saved.name() + "” saved.", null, null, null, Response.Status.OK);
        } catch (WebApplicationException e) {
            ProblemDetails problem = ProblemDetails.of(e);
            if (problem.status() >= 500) {
                throw e;
            }
            return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE).entity(Templates.edit(
                    new EditView(s, form, problem, TrialsPage.TUMOUR_TYPES, TRANSITIONS)).render()).build();
        }
    }

    @GET
    @Path("{id}/deliveries")
    public Response deliveries(@PathParam("id") String id) {
        if (!viewer.signedIn()) {
            return signIn();
        }
        NotificationModel.Subscription s = notification.subscription(viewer.bearer(), id);
        return Response.ok(Templates.deliveries(new DeliveryLog(s, notification.deliveries(viewer.bearer(), id).items()))
                .render(), MediaType.TEXT_HTML_TYPE).build();
    }

    private Response page(Form form, String notice, String secretFor, String secret, ProblemDetails problem,
                          Response.Status status) {
        List<NotificationModel.Subscription> subscriptions = Pages.all(
                c -> notification.subscriptions(viewer.bearer(), c, Pages.MAX_LIMIT));
        String html = Templates.list(new SubscriptionList(viewer.team(), subscriptions, form, notice, secretFor, secret,
                problem, TrialsPage.TUMOUR_TYPES, TRANSITIONS)).render();
        // a page carrying a secret must not be kept by the browser or any cache
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(html).build();
    }

    private static Response signIn() {
        return Response.seeOther(URI.create("/signin?next=/subscriptions")).build();
    }

    static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
