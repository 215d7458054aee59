import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny webhook receiver on the JDK's built-in HTTP server. It verifies every delivery's
 * Standard Webhooks signature and answers
 * <ul>
 *   <li>{@code 204}: verified; the body is kept under its {@code webhook-id} (delivery is at
 *       least once: a redelivery has the same id and simply replaces it);</li>
 *   <li>{@code 400}: wrong signature or timestamp;</li>
 *   <li>{@code 503}: no secret yet (Sinergi tries the change again a few seconds later).</li>
 * </ul>
 * Anything but 2xx makes Sinergi retry the change; the subscription's next change is only
 * sent after this one was acknowledged, so answer quickly and do the work afterwards.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile WebhookVerifier verifier;
    private final Map<String, Object> deliveries = new ConcurrentHashMap<>();
    private final AtomicInteger rejected = new AtomicInteger();

    public WebhookReceiver(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/hooks", this::handle);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The subscription's signing secret, known once the subscription exists. */
    public void setSecret(String secret) {
        verifier = new WebhookVerifier(secret);
    }

    /** Verified deliveries by webhook-id, each the parsed body. */
    public Map<String, Object> deliveries() {
        return deliveries;
    }

    /** How many requests were refused with 400. */
    public int rejected() {
        return rejected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            WebhookVerifier v = verifier;
            if (v == null) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String why = v.check(id,
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    body, System.currentTimeMillis() / 1000);
            if (why != null) {
                rejected.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            deliveries.put(id, Json.parse(new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);   // Sinergi will try again
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
