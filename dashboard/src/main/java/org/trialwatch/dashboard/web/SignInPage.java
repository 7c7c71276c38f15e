package org.trialwatch.dashboard.web;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

import org.trialwatch.dashboard.session.DevSignIn;
import org.trialwatch.dashboard.session.Viewer;

/**
 * Signing in. In production: OpenID Connect's authorization code flow against the operator's identity provider
 * ({@code QUARKUS_OIDC_*}); {@code /signin/oidc} is protected, so visiting it starts the flow. In the local run: a
 * development sign-in, clearly marked, that mints a subscriber token for a team.
 */
@Path("/signin")
@Produces(MediaType.TEXT_HTML)
public class SignInPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(boolean oidc, boolean development, String next, String problem);
    }

    private final DevSignIn dev;
    private final boolean oidc;

    public SignInPage(DevSignIn dev, @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.dev = dev;
        this.oidc = oidc;
    }

    @GET
    public TemplateInstance page(@QueryParam("next") String next) {
        return Templates.signin(oidc, dev.enabled(), safeNext(next), null);
    }

    @GET
    @Path("oidc")
    @Authenticated
    public Response afterIdentityProvider(@QueryParam("next") String next) {
        return Response.seeOther(URI.create(safeNext(next))).build();
    }

    @POST
    @Path("dev")
    public Response devSignIn(@RestForm String team, @RestForm String next) {
        if (!dev.enabled()) {
            return Response.status(404).build();
        }
        String valid = DevSignIn.validTeam(team);
        if (valid == null) {
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Templates.signin(oidc, true,
                    safeNext(next), "A team name is lower-case letters, digits and '-', e.g. team-a.").render()).build();
        }
        NewCookie cookie = new NewCookie.Builder(Viewer.DEV_COOKIE).value(dev.tokenFor(valid)).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(URI.create(safeNext(next))).cookie(cookie).build();
    }

    @POST
    @Path("out")
    public Response signOut() {
        NewCookie gone = new NewCookie.Builder(Viewer.DEV_COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(URI.create(oidc ? "/signout/oidc" : "/trials")).cookie(gone).build();
    }

    /** Only a path of this site: a sign-in link must not send anyone elsewhere. */
    static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/subscriptions";
    }
}
