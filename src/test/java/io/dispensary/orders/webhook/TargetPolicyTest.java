package io.dispensary.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetPolicyTest {

    /** Names resolve as listed, IP literals as themselves: no DNS is asked. */
    private static final TargetPolicy.Resolver RESOLVER = host -> {
        Map<String, String> names = Map.of(
                "hooks.example.com", "93.184.216.34",
                "metadata.internal", "169.254.169.254",
                "rebound.example.com", "10.1.2.3");
        String address = names.get(host);
        if (address == null && !host.matches("[0-9.]+|.*:.*")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address != null ? address : host)};
    };

    private final TargetPolicy production = new TargetPolicy(false, RESOLVER);

    @Test
    void aPublicHttpsTargetIsAllowed() {
        assertThat(TargetPolicy.malformed("https://hooks.example.com/orders?token=abc"))
                .isEmpty();
        assertThat(production.refused("https://hooks.example.com/orders")).isEmpty();
        assertThat(production.refused("http://93.184.216.34:8443/x")).isEmpty();
    }

    @Test
    void loopbackLinkLocalPrivateAndCarrierNatTargetsAreRefusedInProduction() {
        for (String url : new String[] {
            "http://127.0.0.1/hook",
            "http://127.1.2.3:8080/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://metadata.internal/",
            "http://10.0.0.5/hook",
            "http://172.16.9.1/hook",
            "http://192.168.1.10/hook",
            "http://100.64.0.1/hook",
            "http://0.0.0.0/hook",
            "http://[fd12:3456::1]/hook",
            "http://[fe80::1]/hook",
            "https://rebound.example.com/hook"
        }) {
            assertThat(production.refused(url)).as(url).isPresent();
        }
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedInProduction() {
        assertThat(production.refused("https://nowhere.invalid/hook"))
                .get()
                .asString()
                .contains("does not resolve");
    }

    @Test
    void privateTargetsAreAllowedWhenTheSettingSaysSo() {
        TargetPolicy dev = new TargetPolicy(true, RESOLVER);
        assertThat(dev.refused("http://127.0.0.1:9999/hook")).isEmpty();
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAndWithoutCredentialsAreWellFormed() {
        assertThat(TargetPolicy.malformed("ftp://hooks.example.com/")).isPresent();
        assertThat(TargetPolicy.malformed("file:///etc/passwd")).isPresent();
        assertThat(TargetPolicy.malformed("hooks.example.com/orders")).isPresent();
        assertThat(TargetPolicy.malformed("https://user:pass@hooks.example.com/"))
                .isPresent();
        assertThat(TargetPolicy.malformed("https://hooks.example.com/#frag")).isPresent();
        assertThat(TargetPolicy.malformed("https://hooks.example.com/a b")).isPresent();
        assertThat(TargetPolicy.malformed("https://hooks.example.com/" + "a".repeat(2048)))
                .isPresent();
    }
}
