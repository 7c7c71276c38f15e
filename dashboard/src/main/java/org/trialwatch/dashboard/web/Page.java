package org.trialwatch.dashboard.web;

/** Which section of the dashboard a page belongs to, for the navigation's {@code aria-current}. */
public enum Page {
    TRIALS, EVIDENCE, SUMMARIES, LIVE, SUBSCRIPTIONS, SIGN_IN, ERROR
}
