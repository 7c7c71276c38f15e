package org.trialwatch.evidence.domain.grouping;

import java.util.regex.Pattern;

/**
 * A group of evidence and trials: tumour type × line/setting × therapy class × target/mechanism. Its text form,
 * {@code BTC.first-line.chemo_immuno.PD-L1}, uses only RFC 3986 unreserved characters, so it goes into a URL path or
 * query as it is: dimensions are separated by '.', the parts of a combination by '_', words by '-'.
 */
public record GroupKey(String tumourType, String line, String therapyClass, String target) implements Comparable<GroupKey> {

    public static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    public static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+){3}");

    public GroupKey {
        for (String part : new String[] {tumourType, line, therapyClass, target}) {
            if (part == null || !SEGMENT.matcher(part).matches()) {
                throw new IllegalArgumentException("not a group key segment: " + part);
            }
        }
    }

    public static boolean isWellFormed(String text) {
        return text != null && TEXT.matcher(text).matches();
    }

    public static GroupKey parse(String text) {
        if (!isWellFormed(text)) {
            throw new IllegalArgumentException("not a group key: " + text);
        }
        String[] p = text.split("\\.");
        return new GroupKey(p[0], p[1], p[2], p[3]);
    }

    public String text() {
        return tumourType + "." + line + "." + therapyClass + "." + target;
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public int compareTo(GroupKey o) {
        return text().compareTo(o.text());
    }
}
