package org.trialwatch.notification;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service. Before Quarkus starts its HTTP server, it lets request URIs through that {@link java.net.URI}
 * would refuse (a raw {@code >} or {@code |} in a query string, which curl and browsers send as typed): otherwise
 * Quarkus answers them 400 with an empty body before any of our code runs, so no problem+json could say what was
 * wrong. Query values are still decoded and validated by the resources, which answer problem+json.
 */
@QuarkusMain
public final class NotificationServiceMain {

    /** Read once by Quarkus' HTTP front handler (VertxHttpRecorder) when the server starts. */
    static final String LENIENT_URIS = "vertx.disableURIValidation";

    public static void main(String... args) {
        if (System.getProperty(LENIENT_URIS) == null) {
            System.setProperty(LENIENT_URIS, "true");
        }
        Quarkus.run(args);
    }
}
