package org.trialwatch.otherservice;

/** Stands for a class of another TrialWatch service in the architecture rules' own test. */
public class OtherServiceThing {
}
