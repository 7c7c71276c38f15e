package org.trialwatch.evidence.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.trialwatch.evidence.config.EvidenceConfig;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.domain.grouping.Line;
import org.trialwatch.evidence.persistence.StoredSummary;
import org.trialwatch.evidence.persistence.SummaryStore;
import org.trialwatch.evidence.persistence.SummaryWrites;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.rest.RenderedPages;

/** Group summaries: list with filters and cursor pagination, one with an ETag, and its version history. */
@Path("/api/summaries")
@Produces(MediaType.APPLICATION_JSON)
@Singleton // one instance, so one store of rendered list pages (Quarkus REST's default, said out loud)
public class SummaryResource {

    /** At most this many bytes of rendered list pages are kept (a page of 50 summaries of 3,000 trials is 0.3 MB). */
    static final long LIST_CACHE_BYTES = 16L * 1024 * 1024;

    private final SummaryStore store;
    private final RenderedPages pages;
    private final ObjectMapper json;
    private final EvidenceConfig config;

    public SummaryResource(SummaryStore store, ObjectMapper json, EvidenceConfig config, SummaryWrites writes) {
        this.store = store;
        this.pages = new RenderedPages(writes::generation, LIST_CACHE_BYTES);
        this.json = json;
        this.config = config;
    }

    @GET
    @Operation(summary = "Group summaries in group-key order; pass nextCursor back as cursor for the next page",
            description = "Each item is the group's summary without its member lists (trials, and each certainty "
                    + "flag's members); their counts stay (trialCount, memberCount) and GET /api/summaries/{groupKey} "
                    + "has the lists. Each page has an ETag: send it in If-None-Match to get 304 while the page is unchanged.")
    @APIResponse(responseCode = "200", description = "A page {items, next, nextCursor, limit}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "304", description = "The page is unchanged since the ETag sent in If-None-Match")
    public Response list(@Parameter(description = "BTC or PC") @QueryParam("tumourType") String tumourType,
                         @Parameter(description = "first-line, second-line, maintenance, adjuvant, neoadjuvant, any-line")
                         @QueryParam("line") String line,
                         @Parameter(description = "e.g. chemo, targeted, chemo_immuno") @QueryParam("therapyClass") String therapyClass,
                         @Parameter(description = "e.g. KRAS, PD-1, PARP_PD-1") @QueryParam("target") String target,
                         @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        List<FieldError> errors = new ArrayList<>();
        if (tumourType != null && !GroupClassifier.TUMOUR_TYPES.contains(tumourType)) {
            errors.add(new FieldError("tumourType", "must be BTC or PC"));
        }
        if (line != null && !Line.slugs().contains(line)) {
            errors.add(new FieldError("line", "must be one of " + String.join(", ", Line.slugs())));
        }
        if (therapyClass != null && !GroupKey.SEGMENT.matcher(therapyClass).matches()) {
            errors.add(new FieldError("therapyClass", "letters, digits, '-' and '_' only"));
        }
        if (target != null && !GroupKey.SEGMENT.matcher(target).matches()) {
            errors.add(new FieldError("target", "letters, digits, '-' and '_' only"));
        }
        int pageSize = config.api().defaultPageSize();
        if (limit != null) {
            Integer l = Params.integer(limit);
            if (l == null || l < 1 || l > config.api().maxPageSize()) {
                errors.add(new FieldError("limit", "must be between 1 and " + config.api().maxPageSize()));
            } else {
                pageSize = l;
            }
        }
        String after = null;
        if (cursor != null) {
            after = decodeCursor(cursor);
            if (after == null) {
                errors.add(new FieldError("cursor", "not a cursor this API returned"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemMappers.badRequest(errors);
        }
        // The dashboard asks for the same few pages over and over: each is rendered once per change of the summaries
        // (or per second, for another replica's changes), then sent as stored bytes (ADR 0009).
        ListQuery query = new ListQuery(new SummaryStore.Filter(tumourType, line, therapyClass, target), after, pageSize);
        return pages.respond(query, () -> render(query), ifNoneMatch);
    }

    /** What a list page is made of, once its parameters are checked: the key of its rendered bytes. */
    private record ListQuery(SummaryStore.Filter filter, String after, int pageSize) {
    }

    private byte[] render(ListQuery query) {
        int pageSize = query.pageSize();
        List<StoredSummary> page = store.list(query.filter(), query.after(), pageSize + 1);
        boolean more = page.size() > pageSize;
        List<StoredSummary> items = more ? page.subList(0, pageSize) : page;
        ObjectNode out = json.createObjectNode();
        ArrayNode array = out.putArray("items");
        items.forEach(s -> array.add(listItem(s)));
        out.put("limit", pageSize);
        String next = more ? encodeCursor(items.get(items.size() - 1).groupKey()) : null;
        out.put("next", next);
        out.put("nextCursor", next); // the name before list envelopes were made consistent (items, next, limit)
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary page cannot be written as JSON", e);
        }
    }

    @GET
    @Path("/{groupKey}")
    @Operation(summary = "One group's summary; answers 304 when If-None-Match carries its current ETag")
    public Response get(@PathParam("groupKey") String groupKey, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        StoredSummary s = load(groupKey);
        EntityTag tag = new EntityTag(Long.toString(s.version()));
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        if (RenderedPages.matches(ifNoneMatch, "\"" + tag.getValue() + "\"")) {
            return Response.notModified(tag).cacheControl(noCache).build();
        }
        return Response.ok(view(s)).tag(tag).cacheControl(noCache).build();
    }

    @GET
    @Path("/{groupKey}/history")
    @Operation(summary = "Every version of a group's summary: what changed, and the event that caused it")
    public ObjectNode history(@PathParam("groupKey") String groupKey) {
        StoredSummary current = load(groupKey);
        ObjectNode out = json.createObjectNode();
        out.put("groupKey", current.groupKey());
        out.put("currentVersion", current.version());
        ArrayNode versions = out.putArray("versions");
        for (SummaryStore.HistoryEntry h : store.history(groupKey)) {
            ObjectNode v = versions.addObject();
            v.put("version", h.version());
            v.put("occurredAt", h.occurredAt().toString());
            ObjectNode cause = v.putObject("cause");
            cause.put("type", h.causeType());
            cause.put("eventId", h.causeEventId());
            cause.put("nctId", h.causeNctId());
            v.set("changes", tree(h.changesJson()));
        }
        return out;
    }

    private StoredSummary load(String groupKey) {
        if (!GroupKey.isWellFormed(groupKey)) {
            throw ProblemMappers.badRequest(List.of(new FieldError("groupKey",
                    "must be tumourType.line.therapyClass.target, e.g. PC.any-line.targeted.KRAS")));
        }
        return store.find(groupKey).orElseThrow(() -> ProblemMappers.notFound("no group " + groupKey));
    }

    /** One group's summary, with its member lists and their counts ({@code trialCount}, each flag's {@code memberCount}). */
    private ObjectNode view(StoredSummary s) {
        ObjectNode content = (ObjectNode) tree(s.contentJson());
        content.put("trialCount", content.path("trials").size());
        for (JsonNode flag : content.path("certaintyFlags")) {
            if (flag instanceof ObjectNode f && f.has("members")) {
                f.put("memberCount", f.get("members").size());
            }
        }
        return summary(s, content);
    }

    /**
     * A summary as a list page shows it: everything but the lists that grow with the group. A group's tracked trials
     * are listed one by one, each with why it is in the group, and so are the members of its certainty flags; with
     * 1,000 trials in one group that was 0.3 MB of a 0.46 MB page, and a page would grow without bound with the
     * trials tracked. The counts stay ({@code trackedByStatus}, {@code trialCount}, each flag's
     * {@code memberCount}, as in the group's own summary); the lists are one request away, in that summary. The
     * store reads it so ({@code summary_list_content()}): the lists are neither built nor read for a list page.
     */
    private ObjectNode listItem(StoredSummary s) {
        return summary(s, (ObjectNode) tree(s.contentJson()));
    }

    private ObjectNode summary(StoredSummary s, ObjectNode content) {
        ObjectNode out = json.createObjectNode();
        out.put("groupKey", s.groupKey());
        out.put("version", s.version());
        out.put("updatedAt", s.updatedAt().toString());
        content.remove("groupKey");
        out.setAll(content);
        out.set("latestChange", tree(s.latestChangeJson()));
        return out;
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON cannot be read", e);
        }
    }

    static String encodeCursor(String groupKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(groupKey.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return GroupKey.isWellFormed(key) ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
