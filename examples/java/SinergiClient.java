import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sinergi API client on {@code java.net.http}, JDK 17, no libraries.
 *
 * <ul>
 *   <li>One OAuth 2.0 client-credentials token, cached and renewed shortly before it
 *       expires (from {@code expires_in}), never one token per call; thread-safe.</li>
 *   <li>{@code 429} and {@code 503}: wait as long as {@code Retry-After} says, then send the
 *       same request again (the server carried out neither).</li>
 *   <li>A {@code 401} on an API call (a token revoked by a secret rotation, for example):
 *       fetch a new token once and repeat the call.</li>
 * </ul>
 */
public final class SinergiClient {
    private static final long REFRESH_MARGIN_MAX_SECS = 60;
    private static final int MAX_ATTEMPTS = 6;
    private static final double MAX_RETRY_AFTER_SECS = 120;

    /** One HTTP answer with its body parsed as JSON when it is JSON. */
    public static final class Response {
        public final int status;
        public final HttpHeaders headers;
        public final Object json;
        public final String raw;

        Response(int status, HttpHeaders headers, String raw) {
            this.status = status;
            this.headers = headers;
            this.raw = raw;
            Object parsed = null;
            if (!raw.isEmpty()) {
                try {
                    parsed = Json.parse(raw);
                } catch (IllegalArgumentException notJson) {
                    parsed = null;
                }
            }
            this.json = parsed;
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** An RFC 9457 problem of this {@code type}, e.g. {@code urn:sinergi:problem:validation}. */
        public boolean isProblem(String type) {
            return type.equals(Json.getString(json, "type"));
        }
    }

    /** The request could not be made, or the token endpoint refused the client. */
    public static final class SinergiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SinergiException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String baseUrl;
    private final String clientId;
    private final String clientSecret;
    private final Consumer<String> log;

    private String token;          // guarded by this
    private long refreshAtNanos;   // guarded by this; System.nanoTime() is monotonic

    public int tokensFetched;
    public int apiCalls;
    public int retriesAfter429;

    public SinergiClient(String baseUrl, String clientId, String clientSecret, Consumer<String> log) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.log = log;
    }

    /** The cached access token, renewed first when it is about to expire. */
    public synchronized String accessToken() {
        if (token == null || System.nanoTime() - refreshAtNanos >= 0) {
            fetchToken();
        }
        return token;
    }

    private synchronized void invalidateToken() {
        token = null;
    }

    private void fetchToken() {
        long requestedAt = System.nanoTime();   // count the lifetime from before the request
        // client_secret_basic (RFC 6749 §2.3.1): id and secret are form-urlencoded first.
        String basic = Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        Response resp = withRetries(() -> send("POST", "/oauth/token",
                List.of("Authorization", "Basic " + basic,
                        "Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=client_credentials"));
        Object token = Json.get(resp.json, "access_token");
        Object expiresIn = Json.get(resp.json, "expires_in");
        if (resp.status != 200 || !(token instanceof String) || !(expiresIn instanceof Number)) {
            // OAuth errors are {"error": …, "error_description": …}; they never echo the secret.
            throw new SinergiException("token request refused: HTTP " + resp.status + " "
                    + Json.getString(resp.json, "error"));
        }
        long lifetime = ((Number) expiresIn).longValue();
        long margin = Math.min(REFRESH_MARGIN_MAX_SECS, Math.max(1, lifetime / 5));
        this.token = (String) token;
        this.refreshAtNanos = requestedAt + Duration.ofSeconds(lifetime - margin).toNanos();
        tokensFetched++;
        log.accept("token #" + tokensFetched + " obtained (expires in " + lifetime
                + " s, renewed after " + (lifetime - margin) + " s)");
    }

    /**
     * Calls the API with the cached token.
     *
     * @param query   query parameters (may be empty), sent in this order
     * @param body    sent as JSON when not null
     * @param headers extra headers as name, value, name, value…
     */
    public Response call(String method, String path, Map<String, ?> query, Object body, String... headers) {
        String target = path + queryString(query);
        List<String> extra = new ArrayList<>(List.of(headers));
        String payload = null;
        if (body != null) {
            payload = Json.write(body);
            extra.add("Content-Type");
            extra.add("application/json");
        }
        final String json = payload;
        boolean renewed = false;
        while (true) {
            Response resp = withRetries(() -> {
                synchronized (this) {
                    apiCalls++;
                }
                List<String> all = new ArrayList<>(extra);
                all.add("Authorization");
                all.add("Bearer " + accessToken());
                return send(method, target, all, json);
            });
            // A token refused with 401 (revoked by a secret or key rotation, clock skew):
            // renew it once and repeat. A second 401 is a real error.
            if (resp.status == 401 && !renewed) {
                renewed = true;
                invalidateToken();
                log.accept("token refused (401); fetching a new one");
                continue;
            }
            return resp;
        }
    }

    public Response call(String method, String path) {
        return call(method, path, Map.of(), null);
    }

    /** Sends again after 429/503, waiting as long as {@code Retry-After} says. */
    private Response withRetries(Supplier<Response> send) {
        for (int attempt = 1; ; attempt++) {
            Response resp = send.get();
            if ((resp.status != 429 && resp.status != 503) || attempt >= MAX_ATTEMPTS) {
                return resp;
            }
            double wait = retryAfterSeconds(resp.header("Retry-After"), attempt);
            if (resp.status == 429) {
                synchronized (this) {
                    retriesAfter429++;
                }
            }
            log.accept(String.format("HTTP %d, retrying in %.1f s (Retry-After)", resp.status, wait));
            try {
                Thread.sleep((long) (wait * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return resp;
            }
        }
    }

    /** {@code Retry-After} is delta-seconds or an HTTP date (RFC 9110 §10.2.3); without it, back off. */
    static double retryAfterSeconds(String value, int attempt) {
        double secs;
        String v = value == null ? "" : value.trim();
        if (v.matches("\\d+")) {
            secs = Double.parseDouble(v);
        } else if (!v.isEmpty()) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                secs = Math.max(0, Duration.between(ZonedDateTime.now(), when).toMillis() / 1000.0);
            } catch (RuntimeException unparsable) {
                secs = Math.min(30, Math.pow(2, attempt - 1));
            }
        } else {
            secs = Math.min(30, Math.pow(2, attempt - 1));   // no header: exponential backoff
        }
        // a little jitter so that many workers throttled at once do not come back at once
        return Math.min(MAX_RETRY_AFTER_SECS, secs) + ThreadLocalRandom.current().nextInt(0, 250) / 1000.0;
    }

    private Response send(String method, String path, List<String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))   // long-polling the feed waits up to 30 s
                .header("Accept", "application/json, application/problem+json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new SinergiException(method + " " + path.replaceAll("\\?.*", "") + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinergiException("interrupted");
        }
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String queryString(Map<String, ?> query) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : query.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            sb.append(sb.length() == 0 ? '?' : '&')
                    .append(form(e.getKey()).replace("+", "%20")).append('=')
                    .append(form(String.valueOf(e.getValue())).replace("+", "%20"));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ printing safely

    private static final Pattern SIXTEEN_DIGITS = Pattern.compile("\\d{16}");

    /** A NIK or KK as it may appear in a log: the first four and the last two digits. */
    public static String mask(String number) {
        if (number.length() <= 6) {
            return "*".repeat(number.length());
        }
        return number.substring(0, 4) + "*".repeat(number.length() - 6) + number.substring(number.length() - 2);
    }

    /** Masks every 16-digit run in a text from the server before it is printed. */
    public static String maskText(String text) {
        Matcher m = SIXTEEN_DIGITS.matcher(text == null ? "" : text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, mask(m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** One line for an RFC 9457 problem and one per entry of its {@code errors} list. */
    public static String describeProblem(Response resp) {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP ").append(resp.status).append(' ')
                .append(Json.getString(resp.json, "type")).append(" (request id ")
                .append(Json.getString(resp.json, "instance")).append(')');
        String detail = Json.getString(resp.json, "detail");
        if (detail != null) {
            sb.append("\n  detail: ").append(maskText(detail));
        }
        Object errors = Json.get(resp.json, "errors");
        if (errors instanceof List) {
            for (Object e : (List<?>) errors) {
                String pointer = Json.getString(e, "pointer");
                sb.append("\n  - ").append(pointer == null || pointer.isEmpty() ? "(the body)" : pointer)
                        .append(": ").append(maskText(Json.getString(e, "detail")));
            }
        }
        return sb.toString();
    }
}
