package org.trialwatch.dashboard.plot;

import java.math.BigDecimal;

/** Numbers exactly as the APIs gave them, without trailing zeros (42.0 is written 42). */
public final class Numbers {

    private Numbers() {
    }

    public static String plain(Double value) {
        if (value == null) {
            return "";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A drawing coordinate: two decimals are finer than a pixel. */
    static String coordinate(double value) {
        return BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
