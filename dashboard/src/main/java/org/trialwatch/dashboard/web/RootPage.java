package org.trialwatch.dashboard.web;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

@Path("/")
public class RootPage {

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/trials")).build();
    }
}
