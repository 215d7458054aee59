<?php
// Sinergi API client for PHP: plain ext-curl, no framework, no Composer packages.
//
// What it takes care of, so that the calling code does not have to:
//   * one OAuth 2.0 client-credentials token, cached and renewed shortly before it
//     expires (from `expires_in`), never one token per call;
//   * `429 Too Many Requests` and `503 Service Unavailable`: wait for `Retry-After`,
//     then send the same request again (neither was carried out by the server);
//   * a `401` on an API call (a token revoked by a secret rotation, for example):
//     fetch a fresh token once and repeat the call.

declare(strict_types=1);

final class SinergiError extends RuntimeException
{
}

/** One HTTP answer: status, lower-cased headers, the decoded JSON body (or null). */
final class SinergiResponse
{
    public function __construct(
        public readonly int $status,
        public readonly array $headers,
        public readonly mixed $json,
        public readonly string $raw,
    ) {
    }

    public function header(string $name): ?string
    {
        return $this->headers[strtolower($name)] ?? null;
    }

    /** True for an RFC 9457 problem of this `type` (e.g. `urn:sinergi:problem:validation`). */
    public function isProblem(string $type): bool
    {
        return is_array($this->json) && ($this->json['type'] ?? null) === $type;
    }
}

final class SinergiClient
{
    /** Renew the token this long before it expires: at most 60 s, at most a fifth of its life. */
    private const REFRESH_MARGIN_MAX_SECS = 60;
    private const MAX_ATTEMPTS = 6;          // per request, counting the retries after 429/503
    private const MAX_RETRY_AFTER_SECS = 120;   // never sleep longer than this on one Retry-After

    private ?string $token = null;
    private float $refreshAt = 0.0;
    private \CurlHandle $curl;

    public int $tokensFetched = 0;
    public int $apiCalls = 0;
    public int $retriesAfter429 = 0;

    /** @param callable(string):void $log */
    public function __construct(
        private readonly string $baseUrl,
        private readonly string $clientId,
        private readonly string $clientSecret,
        private $log,
    ) {
        $this->curl = curl_init();   // one handle: the connection is kept alive between calls
    }

    /** The cached access token, renewed first when it is about to expire. */
    public function accessToken(): string
    {
        if ($this->token === null || microtime(true) >= $this->refreshAt) {
            $this->fetchToken();
        }
        return $this->token;
    }

    private function fetchToken(): void
    {
        $requestedAt = microtime(true);   // count the lifetime from before the request
        // client_secret_basic (RFC 6749 §2.3.1): id and secret are form-urlencoded first.
        $basic = base64_encode(urlencode($this->clientId) . ':' . urlencode($this->clientSecret));
        $resp = $this->withRetries(fn () => $this->send(
            'POST',
            '/oauth/token',
            ['Authorization: Basic ' . $basic, 'Content-Type: application/x-www-form-urlencoded'],
            http_build_query(['grant_type' => 'client_credentials']),
        ));
        if ($resp->status !== 200 || !isset($resp->json['access_token'], $resp->json['expires_in'])) {
            // OAuth errors are {"error": …, "error_description": …}; they never echo the secret.
            $error = is_array($resp->json) ? ($resp->json['error'] ?? '?') : '?';
            throw new SinergiError("token request refused: HTTP {$resp->status} {$error}");
        }
        $lifetime = (int) $resp->json['expires_in'];
        $margin = min(self::REFRESH_MARGIN_MAX_SECS, max(1, intdiv($lifetime, 5)));
        $this->token = (string) $resp->json['access_token'];
        $this->refreshAt = $requestedAt + $lifetime - $margin;
        $this->tokensFetched++;
        ($this->log)(sprintf(
            'token #%d obtained (expires in %d s, renewed after %d s)',
            $this->tokensFetched,
            $lifetime,
            $lifetime - $margin,
        ));
    }

    /**
     * Calls the API with the cached token.
     *
     * @param array<string, scalar> $query   query parameters
     * @param array|null            $body    sent as JSON when not null
     * @param list<string>          $headers extra headers, e.g. 'If-Match: "2"'
     */
    public function call(string $method, string $path, array $query = [], ?array $body = null, array $headers = []): SinergiResponse
    {
        if ($query !== []) {
            $path .= '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986);
        }
        $payload = null;
        if ($body !== null) {
            $payload = json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
            $headers[] = 'Content-Type: application/json';
        }
        $renewed = false;
        while (true) {
            $resp = $this->withRetries(function () use ($method, $path, $headers, $payload) {
                $this->apiCalls++;
                return $this->send($method, $path, array_merge($headers, ['Authorization: Bearer ' . $this->accessToken()]), $payload);
            });
            // A token refused with 401 (revoked by a secret rotation, a key rotation, clock
            // skew): renew it once and repeat. A second 401 is a real error.
            if ($resp->status === 401 && !$renewed) {
                $renewed = true;
                $this->token = null;
                ($this->log)('token refused (401); fetching a new one');
                continue;
            }
            return $resp;
        }
    }

    /** Sends again after 429/503, waiting as long as `Retry-After` says. */
    private function withRetries(callable $send): SinergiResponse
    {
        for ($attempt = 1; ; $attempt++) {
            $resp = $send();
            if (($resp->status !== 429 && $resp->status !== 503) || $attempt >= self::MAX_ATTEMPTS) {
                return $resp;
            }
            $wait = self::retryAfterSeconds($resp->header('retry-after'), $attempt);
            if ($resp->status === 429) {
                $this->retriesAfter429++;
            }
            ($this->log)(sprintf('HTTP %d, retrying in %.1f s (Retry-After)', $resp->status, $wait));
            usleep((int) ($wait * 1_000_000));
        }
    }

    /** `Retry-After` is delta-seconds or an HTTP date (RFC 9110 §10.2.3); without it, back off. */
    public static function retryAfterSeconds(?string $value, int $attempt): float
    {
        $value = trim((string) $value);
        if (preg_match('/^\d+$/', $value)) {
            $secs = (float) $value;
        } elseif ($value !== '' && ($when = strtotime($value)) !== false) {
            $secs = (float) max(0, $when - time());
        } else {
            $secs = min(30.0, 2 ** ($attempt - 1));   // no header: exponential backoff
        }
        // a little jitter so that many workers throttled at once do not come back at once
        return min((float) self::MAX_RETRY_AFTER_SECS, $secs) + mt_rand(0, 250) / 1000;
    }

    private function send(string $method, string $path, array $headers, ?string $payload): SinergiResponse
    {
        $responseHeaders = [];
        curl_reset($this->curl);
        curl_setopt_array($this->curl, [
            CURLOPT_URL => $this->baseUrl . $path,
            CURLOPT_CUSTOMREQUEST => $method,
            // "Expect:" keeps curl from waiting for "100 Continue" before larger bodies
            CURLOPT_HTTPHEADER => array_merge(['Accept: application/json, application/problem+json', 'Expect:'], $headers),
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_CONNECTTIMEOUT => 10,
            CURLOPT_TIMEOUT => 60,             // long-polling the feed waits up to 30 s
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_HEADERFUNCTION => function ($ch, string $line) use (&$responseHeaders) {
                if (str_starts_with($line, 'HTTP/')) {
                    $responseHeaders = [];   // a new status line (after an interim 1xx answer)
                }
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $responseHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ]);
        if ($payload !== null) {
            curl_setopt($this->curl, CURLOPT_POSTFIELDS, $payload);
        }
        $raw = curl_exec($this->curl);
        if ($raw === false) {
            throw new SinergiError("$method " . strtok($path, '?') . ' failed: ' . curl_error($this->curl));
        }
        $status = (int) curl_getinfo($this->curl, CURLINFO_RESPONSE_CODE);
        $json = $raw === '' ? null : json_decode($raw, true);
        return new SinergiResponse($status, $responseHeaders, $json, $raw);
    }
}

/** A NIK or KK as it may appear in a log: the first four and the last two digits. */
function sinergi_mask(string $number): string
{
    return substr($number, 0, 4) . str_repeat('*', max(0, strlen($number) - 6)) . substr($number, -2);
}

/** Masks every 16-digit run in a text from the server before it is printed. */
function sinergi_mask_text(string $text): string
{
    return preg_replace_callback('/\d{16}/', fn ($m) => sinergi_mask($m[0]), $text);
}

/** One line per RFC 9457 problem, and one per entry of its `errors` list. */
function sinergi_describe_problem(SinergiResponse $resp): string
{
    $p = is_array($resp->json) ? $resp->json : [];
    $lines = [sprintf('HTTP %d %s (request id %s)', $resp->status, $p['type'] ?? '', $p['instance'] ?? '?')];
    if (isset($p['detail'])) {
        $lines[] = '  detail: ' . sinergi_mask_text((string) $p['detail']);
    }
    foreach ($p['errors'] ?? [] as $e) {
        $pointer = ($e['pointer'] ?? '') === '' ? '(the body)' : $e['pointer'];
        $lines[] = sprintf('  - %s: %s', $pointer, sinergi_mask_text((string) ($e['detail'] ?? '')));
    }
    return implode("\n", $lines);
}
