package org.trialwatch.registry.ctgov;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** ClinicalTrials.gov data API v2, the two calls the sync makes. Built by {@link CtgovClient} when configured. */
@org.eclipse.microprofile.rest.client.inject.RegisterRestClient(configKey = "ctgov")
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
public interface CtgovApi {

    /** {@code {apiVersion, dataTimestamp}}: when the registry's data was last refreshed. */
    @GET
    @Path("/version")
    Response version();

    @GET
    @Path("/studies")
    Response studies(@QueryParam("filter.ids") String ids, @QueryParam("fields") String fields,
                     @QueryParam("pageSize") int pageSize, @QueryParam("pageToken") String pageToken,
                     @QueryParam("countTotal") Boolean countTotal, @QueryParam("format") String format);
}
