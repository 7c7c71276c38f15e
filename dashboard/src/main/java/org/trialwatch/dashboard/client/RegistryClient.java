package org.trialwatch.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The trial registry's public read API ({@code TRIALWATCH_REGISTRY_URL}). */
@RegisterRestClient(configKey = "registry")
@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryClient {

    @GET
    RegistryModel.TrialPage list(@QueryParam("tumourType") String tumourType, @QueryParam("status") String status,
                                 @QueryParam("target") String target, @QueryParam("therapyClass") String therapyClass,
                                 @QueryParam("q") String q, @QueryParam("cursor") String cursor,
                                 @QueryParam("limit") Integer limit);

    @GET
    @Path("{nctId}")
    RegistryModel.Trial get(@PathParam("nctId") String nctId);

    @GET
    @Path("{nctId}/history")
    Pages.Page<RegistryModel.StatusChange> history(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                                                   @QueryParam("limit") Integer limit);

    @GET
    @Path("{nctId}/results")
    Pages.Page<RegistryModel.PostedResult> results(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                                                   @QueryParam("limit") Integer limit);

    @GET
    @Path("{nctId}/versions")
    Pages.Page<RegistryModel.Version> versions(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                                               @QueryParam("limit") Integer limit);

    @GET
    @Path("{nctId}/versions/{a}/diff/{b}")
    RegistryModel.VersionDiff diff(@PathParam("nctId") String nctId, @PathParam("a") int a, @PathParam("b") int b);
}
