package org.trialwatch.evidence.domain.catalog;

/** Where in the review a piece of evidence is printed. */
public enum SourceKind {
    /** A row of Tables 1–5. */
    TABLE,
    /** A figure from the running text. */
    TEXT_FIGURE,
    /** A sentence naming a trial by NCT number. */
    NCT_MENTION;

    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static SourceKind fromSlug(String slug) {
        for (SourceKind k : values()) {
            if (k.slug().equals(slug)) {
                return k;
            }
        }
        return null;
    }
}
