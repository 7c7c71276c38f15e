package org.trialwatch.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The evidence service's public read API ({@code TRIALWATCH_EVIDENCE_URL}). */
@RegisterRestClient(configKey = "evidence")
@Path("/api")
public interface EvidenceClient {

    @GET
    @Path("evidence")
    @Produces(MediaType.APPLICATION_JSON)
    EvidenceModel.EvidenceList table(@QueryParam("table") int table);

    /** The same rows as CSV, exactly as the service writes it. */
    @GET
    @Path("evidence")
    @Produces("text/csv")
    String tableCsv(@QueryParam("table") int table);

    @GET
    @Path("summaries")
    @Produces(MediaType.APPLICATION_JSON)
    EvidenceModel.SummaryPage summaries(@QueryParam("tumourType") String tumourType, @QueryParam("line") String line,
                                        @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    @GET
    @Path("summaries/{groupKey}")
    @Produces(MediaType.APPLICATION_JSON)
    EvidenceModel.Summary summary(@PathParam("groupKey") String groupKey);

    @GET
    @Path("summaries/{groupKey}/history")
    @Produces(MediaType.APPLICATION_JSON)
    EvidenceModel.History history(@PathParam("groupKey") String groupKey);

    @GET
    @Path("trials/{nctId}/evidence")
    @Produces(MediaType.APPLICATION_JSON)
    EvidenceModel.TrialEvidence ofTrial(@PathParam("nctId") String nctId);
}
