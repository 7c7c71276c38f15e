package org.trialwatch.registry.ctgov;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.PostedResult.Endpoint;

/**
 * Maps a record's {@code resultsSection.outcomeMeasuresModule} to posted results. Plain Java.
 *
 * <p>Conservative on purpose: only what the record states is mapped, nothing is converted or derived. An outcome
 * measure is taken when its title names one of our endpoints, its unit fits the endpoint (months for OS, PFS and DOR;
 * a percentage for ORR and DCR), it covers the whole group (one class, one category) and the value is a number
 * ("NA", e.g. a median not reached, is skipped). Limits become {@code ci95} only when the dispersion is a 95%
 * confidence interval. Hazard ratios come from the measure's analyses whose parameter type says hazard ratio; their
 * CI only when {@code ciPctValue} is 95.
 */
public final class ResultsExtractor {

    private static final Pattern RATE_OR_PROBABILITY = Pattern.compile("\\b(rate|probability|percentage|proportion|number)\\b");
    private static final Pattern OS = Pattern.compile("\\boverall survival\\b");
    private static final Pattern PFS = Pattern.compile("\\bprogression[- ]free survival\\b");
    private static final Pattern DOR = Pattern.compile("\\bduration of (overall |objective )?response\\b");
    private static final Pattern ORR = Pattern.compile("\\b(objective|overall) response rate\\b|\\borr\\b");
    private static final Pattern DCR = Pattern.compile("\\bdisease control rate\\b|\\bdcr\\b");
    private static final Pattern HAZARD_RATIO = Pattern.compile("\\bhazard ratio\\b|\\(hr\\)");

    private ResultsExtractor() {
    }

    public static List<PostedResult> extract(JsonNode outcomeMeasuresModule, String sourceUrl) {
        List<PostedResult> out = new ArrayList<>();
        JsonNode measures = outcomeMeasuresModule.path("outcomeMeasures");
        for (int i = 0; i < measures.size(); i++) {
            JsonNode m = measures.get(i);
            String title = m.path("title").asText("");
            Map<String, String> groupTitles = new HashMap<>();
            m.path("groups").forEach(g -> groupTitles.put(g.path("id").asText(), g.path("title").asText(null)));
            Endpoint endpoint = endpointOf(title.toLowerCase(Locale.ROOT));
            String unit = m.path("unitOfMeasure").asText(null);
            if (endpoint != null && unitFits(endpoint, unit) && paramFits(endpoint, m.path("paramType").asText(""))
                    && m.path("classes").size() == 1 && m.path("classes").get(0).path("categories").size() == 1) {
                boolean ci95 = m.path("dispersionType").asText("").toLowerCase(Locale.ROOT).contains("95% confidence interval");
                Map<String, Integer> denominators = participants(m.path("denoms"));
                for (JsonNode meas : m.path("classes").get(0).path("categories").get(0).path("measurements")) {
                    BigDecimal value = number(meas.path("value"));
                    if (value == null) {
                        continue;
                    }
                    String groupId = meas.path("groupId").asText();
                    PostedResult.ConfidenceInterval ci = ci95
                            ? interval(number(meas.path("lowerLimit")), number(meas.path("upperLimit"))) : null;
                    out.add(new PostedResult(endpoint, groupTitles.getOrDefault(groupId, groupId), value, unit, ci,
                            denominators.get(groupId), source(sourceUrl, title, groupId)));
                }
            }
            JsonNode analyses = m.path("analyses");
            for (int a = 0; a < analyses.size(); a++) {
                JsonNode an = analyses.get(a);
                if (!HAZARD_RATIO.matcher(an.path("paramType").asText("").toLowerCase(Locale.ROOT)).find()) {
                    continue;
                }
                BigDecimal value = number(an.path("paramValue"));
                if (value == null) {
                    continue;
                }
                PostedResult.ConfidenceInterval ci = "95".equals(an.path("ciPctValue").asText("").replace(".0", ""))
                        ? interval(number(an.path("ciLowerLimit")), number(an.path("ciUpperLimit"))) : null;
                List<String> arms = new ArrayList<>();
                an.path("groupIds").forEach(g -> arms.add(groupTitles.getOrDefault(g.asText(), g.asText())));
                out.add(new PostedResult(Endpoint.HR, arms.isEmpty() ? null : String.join(" vs ", arms), value, null, ci,
                        null, source(sourceUrl, title, "analysis " + (a + 1))));
            }
        }
        return out;
    }

    /** The part of a result's source that identifies it whatever base URL fetched it (the sync's dedup key). */
    public static String identity(String source) {
        int at = source.indexOf("/api/v2/");
        return at < 0 ? source : source.substring(at);
    }

    static Endpoint endpointOf(String lowerTitle) {
        if (ORR.matcher(lowerTitle).find()) {
            return Endpoint.ORR;
        }
        if (DCR.matcher(lowerTitle).find()) {
            return Endpoint.DCR;
        }
        if (RATE_OR_PROBABILITY.matcher(lowerTitle).find()) {
            return null; // e.g. "12-month overall survival rate": a percentage, not a survival time
        }
        if (OS.matcher(lowerTitle).find()) {
            return Endpoint.OS;
        }
        if (PFS.matcher(lowerTitle).find()) {
            return Endpoint.PFS;
        }
        if (DOR.matcher(lowerTitle).find()) {
            return Endpoint.DOR;
        }
        return null;
    }

    private static boolean unitFits(Endpoint endpoint, String unit) {
        String u = unit == null ? "" : unit.toLowerCase(Locale.ROOT);
        return switch (endpoint) {
            case OS, PFS, DOR -> u.contains("month");
            case ORR, DCR -> u.contains("percent") || u.contains("%");
            case HR -> false;
        };
    }

    private static boolean paramFits(Endpoint endpoint, String paramType) {
        return switch (endpoint) {
            case OS, PFS, DOR -> "MEDIAN".equals(paramType);
            case ORR, DCR -> "NUMBER".equals(paramType);
            case HR -> false;
        };
    }

    private static Map<String, Integer> participants(JsonNode denoms) {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode d : denoms) {
            if (!"participants".equalsIgnoreCase(d.path("units").asText())) {
                continue;
            }
            for (JsonNode c : d.path("counts")) {
                BigDecimal n = number(c.path("value"));
                if (n != null && n.signum() >= 0 && n.stripTrailingZeros().scale() <= 0) {
                    out.put(c.path("groupId").asText(), n.intValueExact());
                }
            }
        }
        return out;
    }

    private static PostedResult.ConfidenceInterval interval(BigDecimal lower, BigDecimal upper) {
        if (lower == null && upper == null) {
            return null;
        }
        if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            return null;
        }
        return new PostedResult.ConfidenceInterval(lower, upper);
    }

    /** The registry writes numbers as strings; "NA" and other words are not numbers. */
    static BigDecimal number(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        try {
            return new BigDecimal(node.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String source(String sourceUrl, String title, String part) {
        return sourceUrl + " outcome measure \"" + title + "\" " + part;
    }
}
