package io.dispensary.orders.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a subscription may send to. A webhook is a request the service makes from inside its own network to
 * an address a caller chose; in production one to loopback, link-local (cloud metadata at 169.254.169.254) or a
 * private range would reach what no storefront should, so those are refused unless
 * {@code orders.webhooks.allow-private-targets} says otherwise. The check runs when a subscription is made and
 * again before every delivery, since a name may resolve elsewhere later.
 */
final class TargetPolicy {

    static final int MAX_URL_LENGTH = 2048;

    /** Resolves a host name; a seam for tests, the JDK's resolver otherwise. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    TargetPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Why the URL's form is refused, if it is: any policy. */
    static Optional<String> malformed(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        // Credentials in a URL end up in logs and dashboards; the signature is how a receiver knows the sender.
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials; verify the webhook-signature header instead");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return Optional.empty();
    }

    /** Why this well-formed URL may not be a target here, if it may not. */
    Optional<String> refused(String url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = URI.create(url).getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve: " + host);
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("resolves to " + address.getHostAddress()
                        + ", a loopback, link-local or private address; set orders.webhooks.allow-private-targets"
                        + " to allow it");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7, unique local addresses: IPv6's private ranges, which isSiteLocalAddress does not cover.
            return (bytes[0] & 0xfe) == 0xfc;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        // 100.64.0.0/10, carrier-grade NAT (and many clusters' pod or service ranges); 0.0.0.0/8, "this network".
        return first == 100 && (second & 0xc0) == 64 || first == 0;
    }
}
