package org.trialwatch.dashboard.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers as the APIs gave them, written for people: at most two decimals, no trailing zeros. */
public final class Numbers {

    private Numbers() {
    }

    public static String plain(Double value) {
        if (value == null) {
            return "";
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
