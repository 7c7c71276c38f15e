package org.trialwatch.testbed;

/** Prints a development token for the local run: {@code DevTokens curator|operator|subscriber <team>}. */
public final class DevTokens {

    private DevTokens() {
    }

    public static void main(String[] args) {
        String role = args.length > 0 ? args[0] : "curator";
        String token = switch (role) {
            case "curator" -> TestTokens.curator();
            case "operator" -> TestTokens.operator();
            case "subscriber" -> TestTokens.subscriber(args.length > 1 ? args[1] : "team-a");
            default -> throw new IllegalArgumentException("role must be curator, operator or subscriber");
        };
        System.out.println(token);
    }
}
