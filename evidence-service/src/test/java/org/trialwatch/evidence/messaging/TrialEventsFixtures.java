package org.trialwatch.evidence.messaging;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;

/** Trial events built from the contract's golden examples, with the fields a test needs changed. */
public final class TrialEventsFixtures {

    private TrialEventsFixtures() {
    }

    public static ObjectNode registered(String eventId, String nctId, long sequence, String status, String mechanism,
                                 String regimen) {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_REGISTERED).deepCopy();
        e.put("eventId", eventId).put("nctId", nctId).put("sequence", sequence);
        ObjectNode trial = (ObjectNode) e.get("trial");
        trial.put("nctId", nctId).put("overallStatus", status).put("mechanism", mechanism).put("regimen", regimen);
        trial.put("setting", "advanced solid tumours (RAS-mutant)");
        if (!"TERMINATED".equals(status)) {
            trial.putNull("whyStopped");
        }
        return e;
    }

    public static ObjectNode statusChanged(String eventId, String nctId, long sequence, String from, String to) {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).deepCopy();
        e.put("eventId", eventId).put("nctId", nctId).put("sequence", sequence).put("previousStatus", from)
                .put("newStatus", to);
        return e;
    }

    public static ObjectNode orrPosted(String eventId, String nctId, long sequence, double percent, int n) {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_RESULTS_POSTED).deepCopy();
        e.put("eventId", eventId).put("nctId", nctId).put("sequence", sequence);
        ArrayNode results = e.putArray("results");
        ObjectNode r = results.addObject();
        r.put("endpoint", "ORR").put("arm", "Experimental").put("value", percent).put("unit", "%");
        r.putNull("ci95");
        r.put("n", n).put("source", "test readout, not a real result").put("armRole", "EXPERIMENTAL").putNull("responders");
        return e;
    }
}
