package org.trialwatch.notification.delivery.webhook;

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
 * SSRF protection for webhook targets. A URL must be https (http only for operator-listed hosts), have a host and a
 * port that is not a well-known infrastructure port, and every address that host resolves to must be public:
 * loopback, private, link-local, unique-local, carrier-grade NAT, multicast, unspecified and cloud metadata addresses
 * are refused unless the host is allow-listed, also when wrapped in an IPv6 form that carries an IPv4 address
 * (IPv4-mapped and -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16; Teredo and local-use NAT64 are refused outright).
 * Checked at subscription time and again before every attempt (a name can be re-pointed after it was accepted); the
 * {@link Target} names the address that was checked, and the sender connects to that address only (DNS rebinding).
 */
public final class WebhookTargetGuard {

    /** Resolves a host name to all its addresses; injected so tests need no DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_URL_LENGTH = 2048;
    /**
     * Ports of infrastructure that answers on a private network and must not be reachable through us even on an
     * allow-listed host: SSH, SMTP, DNS, directory and file services, databases, caches, brokers, cluster control
     * planes.
     */
    private static final Set<Integer> INFRASTRUCTURE_PORTS = Set.of(22, 23, 25, 53, 110, 111, 135, 137, 139, 143,
            389, 445, 465, 587, 636, 993, 995, 1433, 1521, 2375, 2376, 2379, 2380, 3306, 3389,
            4369, 5432, 5433, 5672, 5984, 6379, 6443, 7000, 7001, 8500, 9042, 9092, 9093, 9200, 9300, 10250, 10255,
            11211, 15672, 27017, 50070);

    /** A URL that may be called, with the one address it was checked against: connect to that, nowhere else. */
    public record Target(URI uri, String host, int port, boolean https, InetAddress address) {
    }

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
    public Target check(String url) throws UnsafeTargetException {
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
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || INFRASTRUCTURE_PORTS.contains(port)) {
            throw new UnsafeTargetException("port " + port + " is not accepted for webhooks (it belongs to"
                    + " infrastructure, not to a web server)");
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
        if (allowListed) {
            return new Target(uri, bareHost, port, https, addresses[0]);
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null) {
                throw new UnsafeTargetException("host " + bareHost + " resolves to " + address.getHostAddress()
                        + ", a " + why + " address");
            }
        }
        return new Target(uri, bareHost, port, https, addresses[0]);
    }

    /** Why an address may not be called, or null when it is public. */
    static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            String tunnel = tunnelled(v6);
            if (tunnel != null) {
                return tunnel;
            }
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

    /** Forms whose IPv4 address cannot be judged from here: refused whatever they carry. */
    private static String tunnelled(Inet6Address v6) {
        byte[] b = v6.getAddress();
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return "Teredo tunnel";
        }
        if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
                && b[5] == 1) {
            return "local-use NAT64";
        }
        return null;
    }

    /**
     * The IPv4 address an IPv6 address carries, judged in its place: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
     * (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d, RFC 6052) and 6to4 (2002:aabb:ccdd::/48, RFC 3056).
     */
    static InetAddress embeddedIpv4(Inet6Address v6) {
        byte[] b = v6.getAddress();
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4(b[2], b[3], b[4], b[5]);
        }
        boolean nat64 = b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (nat64) {
            return ipv4(b[12], b[13], b[14], b[15]);
        }
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
        return ipv4(b[12], b[13], b[14], b[15]);
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
