package org.trialwatch.evidence.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;

/**
 * Reads {@code review-evidence.json} (and the rows' stored seed objects) into {@link EvidenceRow}s. Every key of a seed
 * object that is not provenance becomes a column, in the seed's order, so a table comes back exactly as the seed
 * prints it. The JSON stays here: the domain's rows and cells are plain Java.
 */
public final class ReviewEvidenceParser {

    /** The class-path resource the module's pom copies from {@code data/}. */
    public static final String RESOURCE = "seed/review-evidence.json";

    private static final Set<String> PROVENANCE_KEYS =
            Set.of("row", "id", "authors", "ref", "refs", "year", "notes", "ocr_line", "ocr_lines", "results",
                    "section", "nct_id");

    private final ObjectMapper mapper = new ObjectMapper();

    public EvidenceCatalog parseResource() {
        try (InputStream in = ReviewEvidenceParser.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("seed resource " + RESOURCE + " is missing from the class path");
            }
            return parse(mapper.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EvidenceCatalog parse(JsonNode root) {
        List<EvidenceRow> rows = new ArrayList<>();
        int ordinal = 0;
        for (int table : EvidenceCatalog.TABLES) {
            for (JsonNode r : root.withArray("table" + table)) {
                rows.add(tableRow(table, r, ordinal++));
            }
        }
        for (JsonNode f : root.withArray("text_figures")) {
            rows.add(textFigure(f, ordinal++));
        }
        for (JsonNode m : root.withArray("nct_mentions")) {
            rows.add(nctMention(m, ordinal++));
        }
        return new EvidenceCatalog(rows);
    }

    /** Rebuilds a stored row from its kind, table number and verbatim seed object. */
    public EvidenceRow row(SourceKind kind, Integer table, JsonNode source, int ordinal) {
        return switch (kind) {
            case TABLE -> tableRow(table, source, ordinal);
            case TEXT_FIGURE -> textFigure(source, ordinal);
            case NCT_MENTION -> nctMention(source, ordinal);
        };
    }

    public JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EvidenceRow tableRow(int table, JsonNode r, int ordinal) {
        int rowNo = r.get("row").asInt();
        List<String> ncts = textOrNull(r, "nct_id") == null ? List.of() : List.of(r.get("nct_id").asText());
        return new EvidenceRow("T" + table + "-R" + rowNo, SourceKind.TABLE, table, rowNo, null,
                List.of(r.get("ref").asInt()), textOrNull(r, "authors"), intOrNull(r, "year"), null,
                columns(r), strings(r.get("results")), orEmpty(strings(r.get("notes"))), ncts,
                firstText(r, "ocr_line", "ocr_lines"), ordinal, r.toString());
    }

    private static EvidenceRow textFigure(JsonNode f, int ordinal) {
        String id = f.get("id").asText();
        return new EvidenceRow(id, SourceKind.TEXT_FIGURE, null, null, id, ints(f.get("refs")), null, null,
                textOrNull(f, "section"), columns(f), null, orEmpty(strings(f.get("notes"))), List.of(),
                textOrNull(f, "quote"), ordinal, f.toString());
    }

    private static EvidenceRow nctMention(JsonNode m, int ordinal) {
        String nct = m.get("nct_id").asText();
        List<String> contexts = strings(m.get("contexts"));
        return new EvidenceRow("M-" + nct, SourceKind.NCT_MENTION, null, null, null, ints(m.get("refs")), null,
                null, textOrNull(m, "section"), columns(m), null, orEmpty(strings(m.get("notes"))), List.of(nct),
                contexts == null ? null : String.join(" / ", contexts), ordinal, m.toString());
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** A cell from its seed value: a plain value, or an object with {@code raw}, {@code value} and why they differ. */
    static Cell cell(JsonNode node) {
        if (node == null || node.isNull()) {
            return Cell.unknown();
        }
        if (node.isObject() && node.has("raw") && node.has("value")) {
            JsonNode value = node.get("value");
            JsonNode raw = node.get("raw");
            String reason = textOrNull(node, "correction_reason");
            boolean corrected = reason != null || !sameReading(raw, value);
            return new Cell(plain(value), value.toString(), plain(raw), raw.toString(), corrected, reason,
                    textOrNull(node, "confidence"), textOrNull(node, "error_origin"), textOrNull(node, "source"),
                    textOrNull(node, "measure_in_source"), number(node, "published_median_os"),
                    textOrNull(node, "population"), integer(node, "randomised"), textOrNull(node, "discrepancy"));
        }
        return new Cell(plain(node), node.toString(), plain(node), node.toString(), false, null, null, null, null, null,
                null, null, null, null);
    }

    /** The JSON value as plain Java: null, String, Boolean, Integer/Long/BigInteger, Double, List or Map. */
    private static Object plain(JsonNode node) {
        return node == null || node.isNull() ? null : PLAIN.convertValue(node, Object.class);
    }

    private static boolean sameReading(JsonNode raw, JsonNode value) {
        if (raw == null || value == null) {
            return raw == value;
        }
        if (raw.isTextual() && value.isNumber()) {
            try {
                return new java.math.BigDecimal(raw.asText()).compareTo(value.decimalValue()) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return raw.equals(value);
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isIntegralNumber() ? null : v.asInt();
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, Cell> columns(JsonNode object) {
        Map<String, Cell> columns = new LinkedHashMap<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!PROVENANCE_KEYS.contains(name)) {
                columns.put(name, cell(object.get(name)));
            }
        });
        return columns;
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asInt()));
        }
        return out;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer intOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = textOrNull(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
