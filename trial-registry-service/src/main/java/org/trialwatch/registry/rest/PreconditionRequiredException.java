package org.trialwatch.registry.rest;

/** A write without If-Match (428): the client must say which version it changes. */
public class PreconditionRequiredException extends RuntimeException {

    public PreconditionRequiredException() {
        super("send If-Match with the trial's current ETag (GET /api/trials/{nctId}) so concurrent edits cannot overwrite each other");
    }
}
