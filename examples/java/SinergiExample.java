import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Sinergi end-to-end example for Java (JDK 17, java.net.http, no libraries).
 *
 * <pre>
 *   javac -d /tmp/sinergi-java examples/java/*.java
 *   SINERGI_URL=http://127.0.0.1:8080 java -cp /tmp/sinergi-java SinergiExample
 * </pre>
 *
 * A Kementerian Sosial system publishes a graduation, changes it with If-Match, loses a race
 * (412) and recovers, finds the family by NIK page by page, sees how validation errors are
 * reported, receives the change as a signed webhook and finds it on the change feed. Exit
 * code 0 only when every step succeeded. See README.md next to this file.
 */
public final class SinergiExample {

    /** A step did not do what it should; the message says what happened. */
    static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }

    interface Step {
        String run() throws Exception;   // returns the one-line summary
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REASON = "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan";

    // settings
    private final String baseUrl = env("SINERGI_URL", "http://127.0.0.1:8080").replaceAll("/+$", "");
    private final String clientId = env("SINERGI_CLIENT_ID", "demo-kemensos");
    private final String program1 = env("SINERGI_PROGRAM", "PKH");
    private final String program2 = env("SINERGI_PROGRAM_2", "SEMBAKO");
    private final String village = env("SINERGI_REGION", "32.01.01.1002");
    private final String hookHost = env("SINERGI_WEBHOOK_HOST", "127.0.0.1");
    private final int hookPort = Integer.parseInt(env("SINERGI_WEBHOOK_PORT", "0"));
    private final int waitSecs = Integer.parseInt(env("SINERGI_WAIT_SECS", "30"));

    private final SinergiClient api = new SinergiClient(baseUrl, clientId,
            env("SINERGI_CLIENT_SECRET", "demo-kemensos-DEMO-SECRET-not-for-production"), SinergiExample::note);

    // what the steps learn
    private String currentStep = "setup";
    private String agency;
    private WebhookReceiver receiver;
    private String subscriptionId;
    private String hookUrl;
    private String hookSecret;
    private String headNik;
    private String memberNik;
    private String kk;
    private Map<String, Object> graduation;
    private String gradId;
    private String secondId;
    private String etag1;
    private final long finalVersion = 3;

    public static void main(String[] args) {
        System.exit(new SinergiExample().run());
    }

    private int run() {
        long started = System.nanoTime();
        boolean failed = false;
        System.out.println("Sinergi Java example against " + baseUrl + " as " + clientId);
        try {
            step("token", this::token);
            step("subscribe", this::subscribe);
            step("publish", this::publish);
            step("republish", this::republish);
            step("precondition", this::precondition);
            step("search", this::search);
            step("validation", this::validation);
            step("webhook", this::webhook);
            step("changes", this::changes);
        } catch (StepFailed | SinergiClient.SinergiException e) {
            failed = true;
            System.out.println("FAIL " + currentStep + ": " + SinergiClient.maskText(e.getMessage()));
        } catch (Exception e) {
            failed = true;
            System.out.println("FAIL " + currentStep + ": " + SinergiClient.maskText(e.toString()));
        } finally {
            failed |= !cleanup();
        }
        System.out.printf("%s in %.1f s: %d token(s) for %d API calls, %d retries after 429%n",
                failed ? "FAILED" : "all steps ok", (System.nanoTime() - started) / 1e9,
                api.tokensFetched, api.apiCalls, api.retriesAfter429);
        return failed ? 1 : 0;
    }

    // ------------------------------------------------------------------ 1. token

    private String token() {
        SinergiClient.Response who = api.call("GET", "/v1/whoami");
        expectStatus(who, 200, "GET /v1/whoami");
        agency = Json.getString(who.json, "agency");
        Set<Object> scopes = new HashSet<>(Json.asArray(Json.get(who.json, "scopes")));
        for (String needed : List.of("graduations:read", "graduations:write", "changes:read", "subscriptions:write")) {
            check(scopes.contains(needed), "the client lacks the scope " + needed);
        }
        return "client " + clientId + " of agency " + agency + ", cached token";
    }

    // ------------------------------------------------------------------ 5a. subscribe

    /** A subscription starts at the feed's head, so it must exist before the changes it is to deliver. */
    private String subscribe() throws Exception {
        receiver = new WebhookReceiver(hookHost, hookPort);
        String urlHost = hookHost.contains(":") ? "[" + hookHost + "]" : hookHost;
        hookUrl = "http://" + urlHost + ":" + receiver.port() + "/hooks";
        SinergiClient.Response resp = api.call("POST", "/v1/subscriptions", Map.of(), Json.object(
                "url", hookUrl,
                "types", List.of("graduation"),
                "publishers", List.of(agency)));   // the own agency's changes: no purpose needed
        if (resp.status == 400 && resp.raw.contains("\"/url\"")) {
            throw new StepFailed("the server refuses the receiver URL " + hookUrl + ": start it with "
                    + "SINERGI_WEBHOOK_ALLOW_HOSTS=" + hookHost
                    + " (serve --demo allows 127.0.0.1, localhost and ::1)\n" + SinergiClient.describeProblem(resp));
        }
        expectStatus(resp, 201, "POST /v1/subscriptions");
        subscriptionId = Json.getString(resp.json, "id");
        // The signing secret is in this answer only: keep it like a password, never log it.
        hookSecret = Json.getString(resp.json, "secret");
        receiver.setSecret(hookSecret);
        return "subscription " + subscriptionId + " to an HttpServer receiver on port " + receiver.port()
                + ", from feed position " + Json.getLong(resp.json, "position");
    }

    // ------------------------------------------------------------------ 2. publish

    private String publish() {
        String region6 = village.replace(".", "").substring(0, 6);
        headNik = syntheticNik(region6, false);
        memberNik = syntheticNik(region6, true);
        kk = syntheticKk(region6);
        String runId = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + Integer.toHexString(RANDOM.nextInt(0x1000000));
        graduation = Json.object(
                "source_record_id", "EX-JAVA-" + runId + "-" + program1,
                "program", program1,
                "household", Json.object("kk", kk, "head_nik", headNik),
                "member_niks", List.of(memberNik),
                "region_code", village,
                "graduation_type", "natural",
                "graduated_on", LocalDate.now(ZoneOffset.UTC).minusDays(7).toString(),
                "welfare_decile", 6L,
                "attributes", Json.object("pendamping", "PD-3201-17", "contoh", "java"));

        SinergiClient.Response resp = api.call("POST", "/v1/graduations", Map.of(), graduation);
        expectStatus(resp, 201, "publishing a new graduation");
        check("created".equals(resp.header("Sinergi-Result")), "Sinergi-Result is not created");
        gradId = Json.getString(resp.json, "id");
        etag1 = resp.header("ETag");
        note(program1 + " graduation " + gradId + " created, version 1, ETag " + etag1
                + ", head NIK " + SinergiClient.mask(headNik));

        SinergiClient.Response again = api.call("POST", "/v1/graduations", Map.of(), graduation);   // a nightly re-send
        expectStatus(again, 200, "sending the same record again");
        check("unchanged".equals(again.header("Sinergi-Result")) && etag1.equals(again.header("ETag")),
                "a re-send is not unchanged");
        note("the same record sent again: 200, Sinergi-Result: unchanged, still ETag " + etag1);

        Map<String, Object> other = Json.asObject(Json.copy(graduation));   // the family also leaves program 2
        other.put("source_record_id", "EX-JAVA-" + runId + "-" + program2);
        other.put("program", program2);
        SinergiClient.Response resp2 = api.call("POST", "/v1/graduations", Map.of(), other);
        expectStatus(resp2, 201, "publishing the " + program2 + " graduation");
        secondId = Json.getString(resp2.json, "id");
        note(program2 + " graduation " + secondId + " created for the same family");
        return "2 graduations created, re-send answered unchanged";
    }

    // ------------------------------------------------------------------ 2b/2c. If-Match and 412

    /** The publishable fields of a graduation as read back (drops id, version, timestamps, …). */
    private static Map<String, Object> graduationInput(Object record) {
        Map<String, Object> input = new LinkedHashMap<>();
        for (String f : List.of("source_record_id", "program", "household", "member_niks", "region_code",
                "graduation_type", "graduated_on", "welfare_decile", "reason", "attributes")) {
            if (Json.asObject(record).containsKey(f)) {
                input.put(f, Json.asObject(record).get(f));
            }
        }
        return input;
    }

    /**
     * Conditional update: publish {@code change(record)} only if the record is still at
     * {@code etag}. On 412 somebody else wrote first: read the current version, apply the
     * change to it again and retry with the new ETag (the usual read-modify-write loop).
     * Returns the final answer; {@code conflicts[0]} counts the 412s met.
     */
    private SinergiClient.Response publishIfMatch(String id, Map<String, Object> record, String etag,
                                                  UnaryOperator<Map<String, Object>> change, int[] conflicts) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            Map<String, Object> body = change.apply(Json.asObject(Json.copy(record)));
            SinergiClient.Response resp = api.call("POST", "/v1/graduations", Map.of(), body, "If-Match", etag);
            if (resp.status != 412) {
                return resp;
            }
            conflicts[0]++;
            check(resp.isProblem("urn:sinergi:problem:precondition-failed"), "a 412 that is not precondition-failed");
            note("412 precondition-failed with If-Match " + etag + " (request id "
                    + Json.getString(resp.json, "instance") + "): someone changed it first");
            SinergiClient.Response current = api.call("GET", "/v1/graduations/" + id);
            expectStatus(current, 200, "re-reading the record");
            etag = current.header("ETag");
            record = graduationInput(current.json);
            note("re-read version " + Json.getLong(current.json, "version") + " (ETag " + etag
                    + "), applying the change to it again");
        }
        throw new StepFailed("still 412 after 3 attempts");
    }

    private String republish() {
        int[] conflicts = {0};
        SinergiClient.Response resp = publishIfMatch(gradId, graduation, etag1, r -> {
            r.put("welfare_decile", 7L);
            r.put("reason", REASON);
            return r;
        }, conflicts);
        expectStatus(resp, 200, "conditional update");
        check("updated".equals(resp.header("Sinergi-Result")) && Json.getLong(resp.json, "version") == 2,
                "not updated to version 2");
        return "If-Match " + etag1 + " -> 200 updated, version 2, ETag " + resp.header("ETag");
    }

    /** A second writer still holding ETag "1" (stale): 412, then re-read and retry. */
    private String precondition() {
        int[] conflicts = {0};
        SinergiClient.Response resp = publishIfMatch(gradId, graduation, etag1, r -> {
            Map<String, Object> attrs = r.get("attributes") instanceof Map
                    ? Json.asObject(r.get("attributes")) : new LinkedHashMap<>();
            attrs.put("verifikasi_lapangan", "selesai");
            r.put("attributes", attrs);
            return r;
        }, conflicts);
        expectStatus(resp, 200, "retry after 412");
        check(conflicts[0] == 1, "expected exactly one 412");
        check(Json.getLong(resp.json, "version") == finalVersion && Json.getLong(resp.json, "welfare_decile") == 7,
                "the retry lost the other writer's change");
        return "stale If-Match " + etag1 + " -> 412, re-read, retried -> version 3 (other writer's change kept)";
    }

    // ------------------------------------------------------------------ 3. search

    private String search() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("nik", headNik);
        query.put("publisher", agency);
        query.put("limit", 1);
        Map<String, Object> found = new TreeMap<>();
        int pages = 0;
        do {
            SinergiClient.Response resp = api.call("GET", "/v1/graduations", query, null);
            expectStatus(resp, 200, "GET /v1/graduations");
            pages++;
            for (Object g : Json.asArray(Json.get(resp.json, "items"))) {
                found.put(Json.getString(g, "id"), g);
            }
            query.put("cursor", Json.get(resp.json, "next_cursor"));   // same filters + cursor
        } while (query.get("cursor") != null && pages < 50);
        check(found.keySet().equals(new HashSet<>(List.of(gradId, secondId))),
                "the NIK search did not return exactly the two graduations");
        check(Json.getLong(found.get(gradId), "version") == finalVersion, "the search shows an old version");
        note("nik=" + SinergiClient.mask(headNik) + " (query string), limit=1: " + pages + " pages, following next_cursor");

        SinergiClient.Response byMember = api.call("GET", "/v1/graduations",
                Map.of("nik", memberNik, "publisher", agency), null);
        expectStatus(byMember, 200, "search by member NIK");
        check(Json.asArray(Json.get(byMember.json, "items")).size() == 2, "the member NIK does not find the family");
        return "2 graduations found by the head's NIK over " + pages + " pages, and by a member's NIK";
    }

    // ------------------------------------------------------------------ 4. validation errors

    @SuppressWarnings("unchecked")
    private String validation() {
        // a NIK that cannot exist and a decile out of range
        Map<String, Object> bad1 = Json.asObject(Json.copy(graduation));
        bad1.put("source_record_id", graduation.get("source_record_id") + "-INVALID-1");
        ((Map<String, Object>) bad1.get("household")).put("head_nik",
                headNik.substring(0, 6) + "32" + headNik.substring(8));   // the 32nd day of a month
        bad1.put("welfare_decile", 11L);
        // a repeated member and personal data in free text
        Map<String, Object> bad2 = Json.asObject(Json.copy(graduation));
        bad2.put("source_record_id", graduation.get("source_record_id") + "-INVALID-2");
        bad2.put("member_niks", List.of(memberNik, memberNik));
        bad2.put("reason", "Lulus, NIK kepala keluarga " + headNik);   // personal data in free text
        bad2.put("attributes", Json.object("kk_lama", kk));

        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("bad identifiers", bad1);
        cases.put("personal data in free text", bad2);
        int count = 0;
        for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
            SinergiClient.Response resp = api.call("POST", "/v1/graduations", Map.of(), c.getValue());
            expectStatus(resp, 400, "invalid record (" + c.getKey() + ")");
            check(resp.isProblem("urn:sinergi:problem:validation"), "not a validation problem");
            check(String.valueOf(resp.header("Content-Type")).startsWith("application/problem+json"),
                    "not application/problem+json");
            Object errors = Json.get(resp.json, "errors");
            check(errors instanceof List && !((List<?>) errors).isEmpty(), "the problem lists no errors");
            note(c.getKey() + ": " + SinergiClient.describeProblem(resp).replace("\n", "\n    "));
            count += ((List<?>) errors).size();
        }
        return "2 invalid records refused with 400 validation, " + count + " errors listed";
    }

    // ------------------------------------------------------------------ 5b. webhook

    private String webhook() throws Exception {
        // First prove the receiver refuses what it must: a forged signature and a stale timestamp.
        String body = "{\"type\":\"graduation.updated\"}";
        long now = System.currentTimeMillis() / 1000;
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        check(forge("forged-1", now, "v1," + Base64.getEncoder().encodeToString(random), body) == 400,
                "a forged signature was accepted");
        String old = Long.toString(now - 600);
        String staleSig = new WebhookVerifier(hookSecret).sign("forged-1", old, body.getBytes(StandardCharsets.UTF_8));
        check(forge("forged-1", now - 600, staleSig, body) == 400, "a 10-minute-old timestamp was accepted");

        long deadline = System.nanoTime() + Duration.ofSeconds(waitSecs).toNanos();
        Map<Long, String> seen = new TreeMap<>();
        while (true) {
            for (Map.Entry<String, Object> d : receiver.deliveries().entrySet()) {
                Object change = Json.get(d.getValue(), "data");
                if (gradId.equals(Json.getString(change, "record_id"))) {
                    seen.put(Json.getLong(change, "version"),
                            Json.getString(d.getValue(), "type") + " (webhook-id " + d.getKey() + ")");
                }
            }
            if (seen.containsKey(finalVersion) || System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(200);
        }
        check(receiver.rejected() == 2, "the receiver refused " + (receiver.rejected() - 2)
                + " real deliveries (bad signature?)");
        if (!seen.containsKey(finalVersion)) {
            SinergiClient.Response d = api.call("GET", "/v1/subscriptions/" + subscriptionId + "/deliveries",
                    Map.of("limit", 5), null);
            throw new StepFailed("no verified delivery of version " + finalVersion + " within " + waitSecs
                    + " s; recent attempts: " + d.raw);
        }
        seen.forEach((v, what) -> note("verified version " + v + ": " + what));
        SinergiClient.Response attempts = api.call("GET", "/v1/subscriptions/" + subscriptionId + "/deliveries",
                Map.of("limit", 10), null);
        expectStatus(attempts, 200, "GET deliveries");
        Map<String, Integer> codes = new TreeMap<>();
        for (Object a : Json.asArray(Json.get(attempts.json, "items"))) {
            codes.merge(String.valueOf(Json.get(a, "status_code")), 1, Integer::sum);
        }
        note("server side, last attempts by receiver status: " + codes);
        return "versions " + seen.keySet() + " delivered and verified; forged and stale deliveries refused";
    }

    private int forge(String id, long timestamp, String signature, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hookUrl))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ------------------------------------------------------------------ 6. change feed

    private String changes() {
        long after = 0;
        int pages = 0;
        int read = 0;
        int lastCount = 1000;
        Map<Long, String> positions = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSecs + 60L).toNanos();
        while (!positions.containsKey(finalVersion)) {
            check(System.nanoTime() - deadline < 0, "the feed does not show the change");
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("after", after);
            query.put("types", "graduation");
            query.put("publishers", agency);
            query.put("limit", 1000);
            if (lastCount < 1000) {
                query.put("wait", 5);   // at the head: long-poll instead of spinning
            }
            SinergiClient.Response resp = api.call("GET", "/v1/changes", query, null);
            expectStatus(resp, 200, "GET /v1/changes");
            pages++;
            List<Object> changes = Json.asArray(Json.get(resp.json, "changes"));
            lastCount = changes.size();
            for (Object c : changes) {
                read++;
                // skip types and actions this consumer does not know
                if ("graduation".equals(Json.getString(c, "type")) && gradId.equals(Json.getString(c, "record_id"))) {
                    positions.put(Json.getLong(c, "version"),
                            Json.getString(c, "action") + "@" + Json.getLong(c, "position"));
                }
            }
            after = Json.getLong(resp.json, "next");   // keep this to resume after a restart
        }
        List<String> list = new ArrayList<>();
        positions.forEach((v, p) -> list.add("v" + v + " " + p));
        return String.join(", ", list) + "; read " + read + " changes in " + pages
                + " pages from position 0, next=" + after;
    }

    // ------------------------------------------------------------------ cleanup

    /**
     * Always remove the subscription (else the exchange retries a dead receiver for 24 h, and
     * an agency may hold only so many) and stop the receiver. False when that failed.
     */
    private boolean cleanup() {
        boolean ok = true;
        if (subscriptionId != null) {
            try {
                SinergiClient.Response del = api.call("DELETE", "/v1/subscriptions/" + subscriptionId);
                if (del.status == 204) {
                    System.out.println("ok cleanup - subscription " + subscriptionId + " deleted");
                } else {
                    ok = false;
                    System.out.println("FAIL cleanup: could not delete subscription " + subscriptionId + "\n"
                            + SinergiClient.describeProblem(del));
                }
            } catch (RuntimeException e) {
                ok = false;
                System.out.println("FAIL cleanup: " + e.getMessage());
            }
        }
        if (receiver != null) {
            receiver.close();
        }
        return ok;
    }

    // ------------------------------------------------------------------ helpers

    private void step(String name, Step body) throws Exception {
        currentStep = name;
        String summary = body.run();
        System.out.println("ok " + name + (summary.isEmpty() ? "" : " - " + summary));
    }

    static void note(String line) {
        System.out.println("    " + line);
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new StepFailed(message);
        }
    }

    static void expectStatus(SinergiClient.Response resp, int status, String what) {
        if (resp.status != status) {
            throw new StepFailed(what + ": expected HTTP " + status + "\n" + SinergiClient.describeProblem(resp));
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** A synthetic but valid NIK: region, birth date (day + 40 for women), serial. */
    static String syntheticNik(String region6, boolean woman) {
        return String.format("%s%02d%02d%02d%04d", region6, 1 + RANDOM.nextInt(28) + (woman ? 40 : 0),
                1 + RANDOM.nextInt(12), 60 + RANDOM.nextInt(40), 1 + RANDOM.nextInt(9999));
    }

    /** A synthetic KK: region, issue date, serial (not 0000). */
    static String syntheticKk(String region6) {
        return String.format("%s%02d%02d%02d%04d", region6, 1 + RANDOM.nextInt(28), 1 + RANDOM.nextInt(12),
                10 + RANDOM.nextInt(15), 1 + RANDOM.nextInt(9999));
    }
}
