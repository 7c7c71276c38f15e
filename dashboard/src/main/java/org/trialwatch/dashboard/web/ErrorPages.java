package org.trialwatch.dashboard.web;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import org.trialwatch.dashboard.client.ProblemDetails;

/** A service that refused or did not answer becomes a page saying so, with the status a browser should see. */
public class ErrorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail);
    }

    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        ProblemDetails p = ProblemDetails.of(e);
        int status = p.status() == 404 ? 404 : p.status() >= 500 ? 502 : p.status();
        String title = status == 404 ? "Not found" : p.title();
        return page(status, title, p.detail().isBlank() ? "The page or record asked for does not exist." : p.detail());
    }

    @ServerExceptionMapper
    public Response unreachable(ProcessingException e) {
        return page(502, "A TrialWatch service did not answer",
                "The dashboard could not reach a service it reads from. Try again in a moment.");
    }

    private static Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, detail).render()).build();
    }
}
