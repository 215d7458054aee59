import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signature check (https://www.standardwebhooks.com/), as Sinergi signs:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">}
 * keyed with the base64-decoded bytes after {@code whsec_} in the subscription's secret.
 */
public final class WebhookVerifier {
    /** Refuse timestamps more than five minutes off (replays, or a badly set clock). */
    public static final long TOLERANCE_SECS = 300;

    private final byte[] key;

    public WebhookVerifier(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("the secret does not start with whsec_");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /** {@code v1,<signature>} of this message, as the sender computes it. */
    public String sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Null when the delivery is authentic, otherwise why it is not. */
    public String check(String id, String timestamp, String signatureHeader, byte[] body, long nowSecs) {
        if (id == null || id.isEmpty() || timestamp == null || signatureHeader == null) {
            return "webhook-id, webhook-timestamp or webhook-signature missing";
        }
        if (!timestamp.matches("\\d{1,12}")) {
            return "webhook-timestamp is not Unix seconds";
        }
        if (Math.abs(nowSecs - Long.parseLong(timestamp)) > TOLERANCE_SECS) {
            return "webhook-timestamp is too far from now (replayed or clock skew)";
        }
        byte[] expected = sign(id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        // The header is a space-separated list ("v1,<sig> v1,<sig2>" while a secret rotates).
        for (String candidate : signatureHeader.trim().split(" +")) {
            byte[] given = candidate.getBytes(StandardCharsets.US_ASCII);
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected, given)) {   // constant time
                return null;
            }
        }
        return "no signature matches";
    }
}
