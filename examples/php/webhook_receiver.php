<?php
// Router script for PHP's built-in web server: a tiny webhook receiver.
//
//   SINERGI_WEBHOOK_SECRET_FILE=… SINERGI_WEBHOOK_SPOOL=… php -S 127.0.0.1:9000 webhook_receiver.php
//
// It verifies every delivery's Standard Webhooks signature and answers
//   204  verified: the body is stored as <spool>/<webhook-id>.json (a redelivery of the
//        same webhook-id overwrites it: delivery is at least once, so deduplicate on it)
//   400  the signature or timestamp is wrong (counted in <spool>/rejected/)
//   503  no secret yet (Sinergi tries the change again a few seconds later)
// Anything other than 2xx makes Sinergi retry the change; the next change of the
// subscription is only sent after this one was acknowledged.

declare(strict_types=1);

require __DIR__ . '/lib/webhook_verify.php';

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    header('Allow: POST');
    return;
}

$spool = (string) getenv('SINERGI_WEBHOOK_SPOOL');
$secretFile = (string) getenv('SINERGI_WEBHOOK_SECRET_FILE');
$secret = is_readable($secretFile) ? trim((string) file_get_contents($secretFile)) : '';
if ($spool === '' || $secret === '') {
    http_response_code(503);
    return;
}

$body = (string) file_get_contents('php://input');
$id = $_SERVER['HTTP_WEBHOOK_ID'] ?? null;
[$ok, $why] = sinergi_verify_webhook(
    $secret,
    $id,
    $_SERVER['HTTP_WEBHOOK_TIMESTAMP'] ?? null,
    $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? null,
    $body,
);

if (!$ok) {
    @mkdir("$spool/rejected", 0700);
    file_put_contents("$spool/rejected/" . bin2hex(random_bytes(8)), $why);
    http_response_code(400);
    return;
}

// webhook-id is "<subscription id>-<position>"; keep it as a safe file name.
$name = preg_replace('/[^A-Za-z0-9_-]/', '_', (string) $id);
$tmp = "$spool/.$name." . getmypid();
file_put_contents($tmp, $body);
rename($tmp, "$spool/$name.json");   // atomic: the example never reads a half-written file
http_response_code(204);
