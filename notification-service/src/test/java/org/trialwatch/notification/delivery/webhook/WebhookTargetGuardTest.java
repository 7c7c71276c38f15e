package org.trialwatch.notification.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTargetGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final Map<String, String> DNS = Map.of(
            "hooks.example.org", "93.184.215.14",
            "rebind.example.org", "10.1.2.3",
            "metadata.example.org", "169.254.169.254",
            "v6.example.org", "2606:4700::6810:84e5",
            "ula.example.org", "fd12:3456::1",
            "receiver.test.local", "10.9.9.9");

    private final WebhookTargetGuard guard = new WebhookTargetGuard(Set.of("receiver.test.local", "127.0.0.1"), host -> {
        String address = DNS.get(host);
        if (address != null) {
            return new InetAddress[] {ip(address)};
        }
        if (host.matches("[0-9a-fA-F:.]+")) {
            return new InetAddress[] {ip(host)};
        }
        throw new UnknownHostException(host);
    });

    @Test
    void publicHttpsTargetsPass() throws Exception {
        assertThat(guard.check("https://hooks.example.org/trialwatch").host()).isEqualTo("hooks.example.org");
        assertThat(guard.check("https://v6.example.org/x")).isNotNull();
    }

    @Test
    void plainHttpIsRefusedUnlessTheHostIsAllowListed() throws Exception {
        assertThatThrownBy(() -> guard.check("http://hooks.example.org/x"))
                .isInstanceOf(UnsafeTargetException.class).hasMessageContaining("https");
        assertThat(guard.check("http://receiver.test.local:8080/hook")).isNotNull();
        assertThat(guard.check("http://127.0.0.1:9999/hook")).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({
            "https://127.0.0.2/x, loopback",
            "https://[::1]/x, loopback",
            "https://10.0.0.1/x, private",
            "https://172.16.5.4/x, private",
            "https://192.168.1.1/x, private",
            "https://169.254.169.254/latest/meta-data, cloud metadata",
            "https://metadata.example.org/, cloud metadata",
            "https://[fd00:ec2::254]/, cloud metadata",
            "https://[fd12:3456::1]/, unique-local",
            "https://ula.example.org/, unique-local",
            "https://[fe80::1]/, link-local",
            "https://169.254.10.10/, link-local",
            "https://100.64.0.1/, carrier-grade NAT",
            "https://0.0.0.0/, unspecified",
            "https://[::ffff:10.0.0.1]/, private",
            "https://[::ffff:a9fe:a9fe]/, cloud metadata",
            "https://[64:ff9b::a9fe:a9fe]/, cloud metadata",
            "https://[64:ff9b::10.0.0.1]/, private",
            "https://[64:ff9b::7f00:1]/, loopback",
            "https://[2002:a9fe:a9fe::]/, cloud metadata",
            "https://[2002:0a00:0001::1]/, private",
            "https://[2002:7f00:1::]/, loopback",
            "https://[64:ff9b:1::1]/, local-use NAT64",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/, Teredo",
            "https://rebind.example.org/, private"
    })
    void internalAddressesAreRefused(String url, String kind) {
        assertThatThrownBy(() -> guard.check(url)).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining(kind);
    }

    @Test
    void publicAddressesInIpv6FormsPass() throws Exception {
        assertThat(guard.check("https://[64:ff9b::5db8:d70e]/x").address().getHostAddress()).startsWith("64:ff9b");
        assertThat(guard.check("https://[2002:5db8:d70e::1]/x")).isNotNull();
    }

    @Test
    void theCheckedAddressIsHandedOnForTheConnection() throws Exception {
        WebhookTargetGuard.Target target = guard.check("https://hooks.example.org:8443/trialwatch");
        assertThat(target.address()).isEqualTo(ip("93.184.215.14"));
        assertThat(target.port()).isEqualTo(8443);
        assertThat(target.https()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"https://hooks.example.org:22/x", "https://hooks.example.org:5432/x", "http://127.0.0.1:9092/x",
            "http://receiver.test.local:6379/x", "https://hooks.example.org:25/x"})
    void infrastructurePortsAreRefusedAlsoForAllowListedHosts(String url) {
        assertThatThrownBy(() -> guard.check(url)).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining("port");
    }

    @Test
    void allowListedHostsStillNeedHttpOrHttps() {
        assertThatThrownBy(() -> guard.check("ftp://127.0.0.1/x")).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining("https");
    }

    @Test
    void malformedOrUnresolvableUrlsAreRefused() {
        assertThatThrownBy(() -> guard.check("not a url")).isInstanceOf(UnsafeTargetException.class);
        assertThatThrownBy(() -> guard.check("https:///path")).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> guard.check("ftp://hooks.example.org/")).isInstanceOf(UnsafeTargetException.class);
        assertThatThrownBy(() -> guard.check("https://nowhere.invalid/")).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> guard.check("https://user:pw@hooks.example.org/"))
                .isInstanceOf(UnsafeTargetException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> guard.check(null)).isInstanceOf(UnsafeTargetException.class);
    }

    @Test
    void localhostIsRefusedWhenOnlyItsAddressIsAllowListed() {
        WebhookTargetGuard system = WebhookTargetGuard.withSystemDns(Set.of());
        assertThatThrownBy(() -> system.check("https://localhost:8443/x")).isInstanceOf(UnsafeTargetException.class)
                .hasMessageContaining("loopback");
    }
}
