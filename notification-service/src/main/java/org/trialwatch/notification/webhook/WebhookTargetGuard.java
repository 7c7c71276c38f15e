package org.trialwatch.notification.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SSRF protection for webhook targets. A URL must be https (http only for operator-listed hosts), have a host, and
 * every address that host resolves to must be public: loopback, private, link-local, unique-local, carrier-grade NAT,
 * multicast, unspecified and cloud metadata addresses are refused unless the host is allow-listed.
 * Checked at subscription time and again before every attempt (a name can be re-pointed after it was accepted).
 */
public final class WebhookTargetGuard {

    /** Resolves a host name to all its addresses; injected so tests need no DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_URL_LENGTH = 2048;

    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public WebhookTargetGuard(Set<String> allowedHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    public static WebhookTargetGuard withSystemDns(Set<String> allowedHosts) {
        return new WebhookTargetGuard(allowedHosts, InetAddress::getAllByName);
    }

    /** The URL as parsed, when it may be called; otherwise the reason it may not. */
    public URI check(String url) throws UnsafeTargetException {
        if (url == null || url.isBlank()) {
            throw new UnsafeTargetException("a webhook URL is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new UnsafeTargetException("longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new UnsafeTargetException("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new UnsafeTargetException("the URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UnsafeTargetException("credentials in the URL are not accepted");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean allowListed = allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && allowListed)) {
            throw new UnsafeTargetException("must use https (http only for hosts an operator allow-lists)");
        }
        if (allowListed) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            throw new UnsafeTargetException("host " + bareHost + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new UnsafeTargetException("host " + bareHost + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null) {
                throw new UnsafeTargetException("host " + bareHost + " resolves to " + address.getHostAddress()
                        + ", a " + why + " address");
            }
        }
        return uri;
    }

    /** Why an address may not be called, or null when it is public. */
    static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            InetAddress embedded = embeddedIpv4(v6);
            if (embedded != null) {
                return forbidden(embedded);
            }
        }
        byte[] b = address.getAddress();
        if (isMetadata(address)) {
            return "cloud metadata";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (address.isSiteLocalAddress()) {
                return "private";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT";
            }
            if (first == 0 || first >= 240) {
                return "reserved";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "reserved";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "benchmarking";
            }
        } else {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            if (address.isSiteLocalAddress()) {
                return "site-local";
            }
        }
        return null;
    }

    private static boolean isMetadata(InetAddress address) {
        String text = address.getHostAddress();
        return List.of("169.254.169.254", "fd00:ec2:0:0:0:0:0:254", "100.100.100.200").contains(text);
    }

    /** IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses are judged by their IPv4 part. */
    private static InetAddress embeddedIpv4(Inet6Address v6) {
        byte[] b = v6.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        if (!mapped && !compatible) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
