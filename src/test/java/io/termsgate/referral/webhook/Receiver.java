package io.termsgate.referral.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checkout's end of the webhook, for tests: a real HTTP server on a free loopback port that records every request
 * and answers each delivery by its event and attempt number (1, 2, 3, ...): a status, or 0 to close the connection
 * without an answer.
 */
final class Receiver implements AutoCloseable {

    interface Answer {
        int status(String event, int attempt);
    }

    record Received(String delivery, String event, String contentType, String signature, byte[] body) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    Receiver(Answer answer) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String delivery = exchange.getRequestHeaders().getFirst("Termsgate-Delivery");
            received.add(new Received(
                    delivery,
                    exchange.getRequestHeaders().getFirst("Termsgate-Event"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Termsgate-Signature"),
                    body));
            int attempt = attempts.computeIfAbsent(String.valueOf(delivery), d -> new AtomicInteger())
                    .incrementAndGet();
            int status = answer.status(exchange.getRequestHeaders().getFirst("Termsgate-Event"), attempt);
            if (status == 0) {
                exchange.close(); // no status line: the connection ends under the client
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> bodiesEqualTo(String body) {
        return received.stream().filter(r -> r.bodyText().equals(body)).toList();
    }

    /**
     * Checks a signature header as checkout would, independently of the service's code: HMAC-SHA256 over
     * {@code t + "." + raw body}, compared in constant time.
     */
    static boolean verifies(String header, byte[] body, String secret) throws Exception {
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        byte[] expected = mac.doFinal(body);
        return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1))
                && v1.equals(v1.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
