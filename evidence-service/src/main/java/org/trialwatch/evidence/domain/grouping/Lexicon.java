package org.trialwatch.evidence.domain.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the grouping knows about agents and targets: each agent named in the review's regimens with its therapy kind and
 * molecular target, and the target words recognised in a printed target/mechanism. Deliberately small and explicit:
 * every entry is visible here, and an agent it does not know is reported as such rather than guessed (ADR 0101).
 */
public final class Lexicon {

    /** An agent the review names: its therapy kind and, where it has one, its molecular target. */
    public record Agent(String name, TherapyKind kind, String target, Pattern pattern) {
    }

    /** A target word in a printed target/mechanism. */
    public record TargetWord(String target, Pattern pattern) {
    }

    /** An agent (or target word) found in a text, with the words that matched. */
    public record Found<T>(T entry, String matched) {
    }

    private static final List<Agent> AGENTS = new ArrayList<>();
    private static final List<TargetWord> TARGET_WORDS = new ArrayList<>();

    static {
        chemo("cisplatin", "cisplatin");
        chemo("gemcitabine", "gem(citabine)?(\\s+hydrochloride)?");
        chemo("oxaliplatin", "oxa?li?platin|oxiplatin");
        chemo("5-fluorouracil", "5-?fu|5-fluorouracil|fluorouracil");
        chemo("irinotecan", "(nal-|liposomal[- ]|nanoliposomal[- ])?irinotecan");
        chemo("nab-paclitaxel", "(nab-)?paclitaxel|taxane");
        chemo("capecitabine", "capecitabine");
        chemo("leucovorin", "leucovorin|lv|folinic(\\s+acid)?");
        chemo("FOLFIRINOX", "m?folfirinox");
        chemo("FOLFOX", "m?folfox");
        chemo("NALIRIFOX", "nalirifox");
        chemo("GEMOX", "gemox");
        chemo("5-azacytidine", "5-aza");
        chemo("platinum chemotherapy", "platinum(-based)?");
        chemo("chemotherapy", "chemotherapy");

        immuno("durvalumab", "PD-L1", "durvalumab");
        immuno("atezolizumab", "PD-L1", "atezolizumab");
        immuno("avelumab", "PD-L1", "avelumab");
        immuno("pembrolizumab", "PD-1", "pembrolizumab");
        immuno("nivolumab", "PD-1", "nivolumab");
        immuno("dostarlimab", "PD-1", "dostarlimab");
        immuno("toripalimab", "PD-1", "toripalimab");
        immuno("camrelizumab", "PD-1", "camrelizumab");
        immuno("tislelizumab", "PD-1", "tislelizumab");
        immuno("ipilimumab", "CTLA-4", "ipilimumab");
        immuno("tremelimumab", "CTLA-4", "tremelimumab");
        immuno("IMP321", "LAG-3", "imp321");
        immuno("indoximod", "IDO", "indoximod");
        immuno("autogene cevumeran", "neoantigen", "autogene\\s+cevumeran");
        immuno("CAR-T cells", null, "car-t");
        immuno("NK cells", "NK-cells", "nk\\s+cells?");
        immuno("immunotherapy", null, "immunotherapy");

        targeted("pemigatinib", "FGFR", "pemigatinib");
        targeted("futibatinib", "FGFR", "futibatinib|tas-120");
        targeted("infigratinib", "FGFR", "infigratinib");
        targeted("FGFR inhibitors", "FGFR", "fgfr\\s+inhibitors?");
        targeted("ivosidenib", "IDH1", "ivosidenib");
        targeted("zanidatamab", "HER2", "zanidatamab");
        targeted("olaparib", "PARP", "olaparib");
        targeted("niraparib", "PARP", "niraparib");
        targeted("erlotinib", "EGFR", "erlotinib");
        targeted("entrectinib", "NTRK", "entrectinib");
        targeted("larotrectinib", "NTRK", "larotrectinib");
        targeted("sotorasib", "KRAS", "sotorasib");
        targeted("MRTX1133", "KRAS", "mrtx1133");
        targeted("BI-3406", "KRAS", "bi-3406");
        targeted("RMC-6236", "KRAS", "rmc-6236");
        targeted("lenvatinib", "VEGFR", "lenvatinib");
        targeted("regorafenib", "VEGFR", "regorafenib");
        targeted("ruxolitinib", "JAK2", "ruxolitinib");
        targeted("vorinostat", "HDAC", "vorinostat");
        targeted("PP242", "mTOR", "pp242");

        AGENTS.add(new Agent("radiotherapy", TherapyKind.RADIO, null, word("radiotherapy|radiation")));

        target("PD-L1", "pd-?l1");
        target("PD-1", "pd-?1");
        target("CTLA-4", "ctla-?4");
        target("LAG-3", "lag-?3");
        target("IDO", "ido");
        target("FGFR", "fgfr[0-9]?");
        target("EGFR", "egfr");
        target("KRAS", "kras");
        target("PARP", "parp");
        target("IDH1", "idh1");
        target("HER2", "her2");
        target("VEGFR", "vegfr");
        target("mTOR", "mtorc?[0-9/]*");
        target("NTRK", "ntrk");
        target("JAK2", "jak2");
        target("CXCR4", "cxcr4");
        target("HDAC", "hdac");
        target("NK-cells", "nk-cells?|nk\\s+cells?");
        target("neoantigen", "neoantigen");
    }

    private Lexicon() {
    }

    private static Pattern word(String regex) {
        return Pattern.compile("(?<![A-Za-z0-9])(" + regex + ")(?![A-Za-z0-9])", Pattern.CASE_INSENSITIVE);
    }

    private static void chemo(String name, String regex) {
        AGENTS.add(new Agent(name, TherapyKind.CHEMO, null, word(regex)));
    }

    private static void immuno(String name, String target, String regex) {
        AGENTS.add(new Agent(name, TherapyKind.IMMUNO, target, word(regex)));
    }

    private static void targeted(String name, String target, String regex) {
        AGENTS.add(new Agent(name, TherapyKind.TARGETED, target, word(regex)));
    }

    private static void target(String target, String regex) {
        TARGET_WORDS.add(new TargetWord(target, word(regex)));
    }

    public static List<Agent> agents() {
        return List.copyOf(AGENTS);
    }

    /** The agents named in a text, in the order of the lexicon, each once. */
    public static List<Found<Agent>> agentsIn(String text) {
        List<Found<Agent>> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (Agent a : AGENTS) {
            Matcher m = a.pattern().matcher(text);
            if (m.find()) {
                out.add(new Found<>(a, m.group()));
            }
        }
        return out;
    }

    /** The target words in a printed target/mechanism. */
    public static List<Found<TargetWord>> targetsIn(String text) {
        List<Found<TargetWord>> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (TargetWord t : TARGET_WORDS) {
            Matcher m = t.pattern().matcher(text);
            if (m.find()) {
                out.add(new Found<>(t, m.group()));
            }
        }
        return out;
    }

    /**
     * The parts of a regimen no agent of the lexicon accounts for: "MRX34" in "MRX34 (liposomal miR-34a mimic)".
     * Parenthesised explanations are dropped first, then the regimen is split at '+', '/', ',', " vs ", " plus ".
     */
    public static List<String> unknownParts(String regimen) {
        List<String> out = new ArrayList<>();
        if (regimen == null) {
            return out;
        }
        String stripped = regimen.replaceAll("\\([^)]*\\)", " ");
        for (String part : stripped.split("\\+|/|,|\\s+vs\\.?\\s+|\\s+plus\\s+|\\s+with\\s+")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("-") || !p.matches(".*[A-Za-z].*")) {
                continue;
            }
            if (agentsIn(p).isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** A URL-safe slug of a printed mechanism: "JAK2/STAT3 pathway" → "jak2-stat3-pathway". */
    public static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.length() > 48 ? s.substring(0, 48).replaceAll("-+$", "") : s;
    }
}
