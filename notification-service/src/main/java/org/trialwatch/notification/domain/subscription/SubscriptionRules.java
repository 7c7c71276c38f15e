package org.trialwatch.notification.domain.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.trialwatch.notification.domain.matching.FilterValidation;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.support.problem.FieldError;

/** The shape rules of a subscription; the SSRF check of webhook URLs comes on top. */
public final class SubscriptionRules {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_NAME = 200;
    /** CR, LF and every other control character: a name goes into mail subjects, addresses into mail headers. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]");

    private SubscriptionRules() {
    }

    public static List<FieldError> errors(String name, Channel channel, String url, String email, String contactEmail,
                                          SubscriptionFilter filter) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "at most " + MAX_NAME + " characters"));
        } else if (CONTROL.matcher(name).find()) {
            errors.add(new FieldError("name", "must not contain line breaks or other control characters"));
        }
        for (String[] field : new String[][] {{"url", url}, {"email", email}, {"contactEmail", contactEmail}}) {
            if (field[1] != null && CONTROL.matcher(field[1]).find()) {
                errors.add(new FieldError(field[0], "must not contain line breaks or other control characters"));
            }
        }
        if (channel == null) {
            errors.add(new FieldError("channel", "is required: webhook or email"));
        } else if (channel == Channel.WEBHOOK) {
            if (url == null || url.isBlank()) {
                errors.add(new FieldError("url", "is required for a webhook subscription"));
            }
            if (email != null) {
                errors.add(new FieldError("email", "only for e-mail subscriptions"));
            }
        } else {
            if (email == null || !EMAIL.matcher(email).matches()) {
                errors.add(new FieldError("email", "a valid address is required for an e-mail subscription"));
            }
            if (url != null) {
                errors.add(new FieldError("url", "only for webhook subscriptions"));
            }
        }
        if (contactEmail != null && !EMAIL.matcher(contactEmail).matches()) {
            errors.add(new FieldError("contactEmail", "not a valid address"));
        }
        if (filter != null) {
            errors.addAll(FilterValidation.errors(filter));
        }
        return errors;
    }
}
