<?php
// Standard Webhooks signature check (https://www.standardwebhooks.com/), as Sinergi signs:
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">
// keyed with the base64-decoded bytes after `whsec_` in the subscription's secret.

declare(strict_types=1);

const SINERGI_WEBHOOK_TOLERANCE_SECS = 300;   // refuse timestamps more than 5 minutes off

/**
 * @return array{0: bool, 1: string} whether the delivery is authentic, and why not
 */
function sinergi_verify_webhook(
    string $secret,
    ?string $id,
    ?string $timestamp,
    ?string $signatureHeader,
    string $body,
    ?int $now = null,
): array {
    if ($id === null || $id === '' || $timestamp === null || $signatureHeader === null) {
        return [false, 'webhook-id, webhook-timestamp or webhook-signature missing'];
    }
    if (!str_starts_with($secret, 'whsec_')) {
        return [false, 'the secret does not start with whsec_'];
    }
    $key = base64_decode(substr($secret, strlen('whsec_')), true);
    if ($key === false || $key === '') {
        return [false, 'the secret is not base64'];
    }
    if (!preg_match('/^\d{1,12}$/', $timestamp)) {
        return [false, 'webhook-timestamp is not Unix seconds'];
    }
    $now ??= time();
    if (abs($now - (int) $timestamp) > SINERGI_WEBHOOK_TOLERANCE_SECS) {
        return [false, 'webhook-timestamp is too far from now (replayed or clock skew)'];
    }
    $expected = base64_encode(hash_hmac('sha256', $id . '.' . $timestamp . '.' . $body, $key, true));
    // The header is a space-separated list ("v1,<sig> v1,<sig2>" while a secret rotates).
    foreach (preg_split('/ +/', trim($signatureHeader)) as $candidate) {
        [$version, $signature] = array_pad(explode(',', $candidate, 2), 2, '');
        if ($version === 'v1' && hash_equals($expected, $signature)) {   // constant time
            return [true, 'ok'];
        }
    }
    return [false, 'no signature matches'];
}
