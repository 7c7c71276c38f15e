package org.trialwatch.registry.rest;

import java.util.List;

/** One page of trials; {@code next} is the opaque cursor of the following page, null on the last. */
public record TrialPage(List<TrialView> items, String next, int limit) {
}
