<?php
// Sinergi end-to-end example for PHP (ext-curl only).
//
//   SINERGI_URL=http://127.0.0.1:8080 php examples/php/example.php
//
// A Kementerian Sosial system publishes a graduation, changes it with If-Match, loses a
// race (412) and recovers, finds the family by NIK page by page, sees how validation
// errors are reported, receives the change as a signed webhook and finds it on the change
// feed. Exit code 0 only when every step succeeded. See README.md next to this file.

declare(strict_types=1);

require __DIR__ . '/lib/SinergiClient.php';
require __DIR__ . '/lib/webhook_verify.php';

final class StepFailed extends RuntimeException
{
}

// ---------------------------------------------------------------- settings

$baseUrl = rtrim(getenv('SINERGI_URL') ?: 'http://127.0.0.1:8080', '/');
$clientId = getenv('SINERGI_CLIENT_ID') ?: 'demo-kemensos';
$clientSecret = getenv('SINERGI_CLIENT_SECRET') ?: 'demo-kemensos-DEMO-SECRET-not-for-production';
$program1 = getenv('SINERGI_PROGRAM') ?: 'PKH';
$program2 = getenv('SINERGI_PROGRAM_2') ?: 'SEMBAKO';
$village = getenv('SINERGI_REGION') ?: '32.01.01.1002';   // must be a village in the region table
$hookHost = getenv('SINERGI_WEBHOOK_HOST') ?: '127.0.0.1';
$hookPort = (int) (getenv('SINERGI_WEBHOOK_PORT') ?: 0);   // 0: any free port
$waitSecs = (int) (getenv('SINERGI_WAIT_SECS') ?: 30);      // for the webhook and the feed

// ---------------------------------------------------------------- small helpers

function note(string $line): void
{
    echo '    ', $line, "\n";
}

function check(bool $condition, string $message): void
{
    if (!$condition) {
        throw new StepFailed($message);
    }
}

function expect_status(SinergiResponse $resp, int $status, string $what): void
{
    if ($resp->status !== $status) {
        throw new StepFailed("$what: expected HTTP $status\n" . sinergi_describe_problem($resp));
    }
}

/** Runs one step; prints "ok <name> - <summary>" or throws. */
function step(string $name, callable $body): mixed
{
    global $currentStep;
    $currentStep = $name;
    [$result, $summary] = $body();
    echo "ok $name", $summary !== '' ? " - $summary" : '', "\n";
    return $result;
}

/** A synthetic but valid NIK: region, birth date (day + 40 for women), serial. */
function synthetic_nik(string $region6, bool $woman): string
{
    return sprintf(
        '%s%02d%02d%02d%04d',
        $region6,
        random_int(1, 28) + ($woman ? 40 : 0),
        random_int(1, 12),
        random_int(60, 99),
        random_int(1, 9999),
    );
}

/** A synthetic KK: region, issue date, serial (not 0000). */
function synthetic_kk(string $region6): string
{
    return sprintf('%s%02d%02d%02d%04d', $region6, random_int(1, 28), random_int(1, 12), random_int(10, 24), random_int(1, 9999));
}

/** The publishable fields of a graduation as read back (drops id, version, timestamps, …). */
function graduation_input(array $record): array
{
    $fields = ['source_record_id', 'program', 'household', 'member_niks', 'region_code',
        'graduation_type', 'graduated_on', 'welfare_decile', 'reason', 'attributes'];
    return array_intersect_key($record, array_flip($fields));
}

/**
 * Conditional update: publish `$change($record)` only if the record is still at `$etag`.
 * On 412 somebody else wrote first: read the current version, apply the change to it
 * again and retry with the new ETag (the usual read-modify-write loop).
 *
 * @return array{0: SinergiResponse, 1: int} the final answer and how many 412s were met
 */
function publish_if_match(SinergiClient $api, string $id, array $record, string $etag, callable $change): array
{
    $conflicts = 0;
    for ($try = 1; $try <= 3; $try++) {
        $resp = $api->call('POST', '/v1/graduations', [], $change($record), ['If-Match: ' . $etag]);
        if ($resp->status !== 412) {
            return [$resp, $conflicts];
        }
        $conflicts++;
        check($resp->isProblem('urn:sinergi:problem:precondition-failed'), 'a 412 that is not precondition-failed');
        note("412 precondition-failed with If-Match $etag (request id {$resp->json['instance']}): someone changed it first");
        $current = $api->call('GET', "/v1/graduations/$id");
        expect_status($current, 200, 're-reading the record');
        $etag = (string) $current->header('etag');
        $record = graduation_input($current->json);
        note("re-read version {$current->json['version']} (ETag $etag), applying the change to it again");
    }
    throw new StepFailed('still 412 after 3 attempts');
}

function remove_tree(string $path): void
{
    if (is_dir($path) && !is_link($path)) {
        foreach (array_diff(scandir($path) ?: [], ['.', '..']) as $entry) {
            remove_tree("$path/$entry");
        }
        @rmdir($path);
    } elseif (file_exists($path)) {
        @unlink($path);
    }
}

function free_port(string $host): int
{
    $probe = stream_socket_server("tcp://$host:0", $errno, $errstr);
    check($probe !== false, "cannot open a local port: $errstr");
    $name = stream_socket_get_name($probe, false);
    fclose($probe);
    return (int) substr($name, strrpos($name, ':') + 1);
}

// ---------------------------------------------------------------- the run

$started = microtime(true);
$currentStep = 'setup';
$api = new SinergiClient($baseUrl, $clientId, $clientSecret, 'note');
$workDir = sys_get_temp_dir() . '/sinergi-php-example-' . bin2hex(random_bytes(6));
$receiver = null;
$subscriptionId = null;
$failed = false;

echo "Sinergi PHP example against $baseUrl as $clientId\n";

try {
    mkdir("$workDir/spool", 0700, true);

    // 1. Token: fetched once here, cached and reused by every call below.
    $agency = step('token', function () use ($api, $clientId) {
        $who = $api->call('GET', '/v1/whoami');
        expect_status($who, 200, 'GET /v1/whoami');
        $missing = array_diff(
            ['graduations:read', 'graduations:write', 'changes:read', 'subscriptions:write'],
            $who->json['scopes'],
        );
        check($missing === [], 'the client lacks the scopes ' . implode(', ', $missing));
        return [$who->json['agency'], "client $clientId of agency {$who->json['agency']}, cached token"];
    });

    // 5a. Webhook receiver and subscription first: a subscription starts at the feed's head,
    //     so it must exist before the changes it is to deliver.
    [$subscription, $hookSecretFile, $hookUrl] = step('subscribe', function () use ($api, $agency, $workDir, $hookHost, $hookPort, &$receiver) {
        $port = $hookPort ?: free_port($hookHost);
        $secretFile = "$workDir/webhook-secret";
        $log = "$workDir/receiver.log";
        $receiver = proc_open(
            [PHP_BINARY, '-S', "$hookHost:$port", __DIR__ . '/webhook_receiver.php'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']],
            $pipes,
            __DIR__,
            [
                'PATH' => getenv('PATH') ?: '/usr/bin:/bin',
                'SINERGI_WEBHOOK_SPOOL' => "$workDir/spool",
                'SINERGI_WEBHOOK_SECRET_FILE' => $secretFile,
            ],
        );
        check(is_resource($receiver), 'could not start php -S');
        $deadline = microtime(true) + 5;
        while (!($conn = @fsockopen($hookHost, $port, $errno, $errstr, 0.2))) {
            check(proc_get_status($receiver)['running'] && microtime(true) < $deadline, "the receiver did not start on port $port");
            usleep(50_000);
        }
        fclose($conn);

        $urlHost = str_contains($hookHost, ':') ? "[$hookHost]" : $hookHost;
        $url = "http://$urlHost:$port/hooks";
        $resp = $api->call('POST', '/v1/subscriptions', [], [
            'url' => $url,
            'types' => ['graduation'],
            'publishers' => [$agency],   // the own agency's changes: no purpose needed
        ]);
        if ($resp->status === 400 && str_contains($resp->raw, '"/url"')) {
            throw new StepFailed("the server refuses the receiver URL $url: start it with "
                . "SINERGI_WEBHOOK_ALLOW_HOSTS=$hookHost (serve --demo allows 127.0.0.1, localhost and ::1)\n" . sinergi_describe_problem($resp));
        }
        expect_status($resp, 201, 'POST /v1/subscriptions');
        $sub = $resp->json;
        // The signing secret is in this answer only: keep it like a password (here a 0600 file
        // the receiver reads), never log it.
        $oldMask = umask(0077);
        file_put_contents($secretFile, $sub['secret']);
        umask($oldMask);
        unset($sub['secret']);
        return [[$sub, $secretFile, $url], "subscription {$sub['id']} to a php -S receiver on port $port, from feed position {$sub['position']}"];
    });
    $subscriptionId = $subscription['id'];

    // 2. Publish: an upsert on (agency, source_record_id).
    $region6 = substr(str_replace('.', '', $village), 0, 6);
    $headNik = synthetic_nik($region6, false);
    $memberNik = synthetic_nik($region6, true);
    $kk = synthetic_kk($region6);
    $runId = gmdate('Ymd-His') . '-' . bin2hex(random_bytes(3));
    $graduation = [
        'source_record_id' => "EX-PHP-$runId-$program1",
        'program' => $program1,
        'household' => ['kk' => $kk, 'head_nik' => $headNik],
        'member_niks' => [$memberNik],
        'region_code' => $village,
        'graduation_type' => 'natural',
        'graduated_on' => gmdate('Y-m-d', time() - 7 * 86400),
        'welfare_decile' => 6,
        'attributes' => ['pendamping' => 'PD-3201-17', 'contoh' => 'php'],
    ];
    [$gradId, $etag1, $secondId] = step('publish', function () use ($api, $graduation, $program2, $headNik) {
        $resp = $api->call('POST', '/v1/graduations', [], $graduation);
        expect_status($resp, 201, 'publishing a new graduation');
        check($resp->header('sinergi-result') === 'created', 'Sinergi-Result is not created');
        $id = $resp->json['id'];
        $etag = (string) $resp->header('etag');
        note("$graduation[program] graduation $id created, version 1, ETag $etag, head NIK " . sinergi_mask($headNik));

        $again = $api->call('POST', '/v1/graduations', [], $graduation);   // a nightly re-send
        expect_status($again, 200, 'sending the same record again');
        check($again->header('sinergi-result') === 'unchanged' && $again->header('etag') === $etag, 'a re-send is not unchanged');
        note('the same record sent again: 200, Sinergi-Result: unchanged, still ETag ' . $etag);

        $other = $graduation;   // the same family also leaves the second program
        $other['source_record_id'] = str_replace($graduation['program'], $program2, $graduation['source_record_id']);
        $other['program'] = $program2;
        $resp2 = $api->call('POST', '/v1/graduations', [], $other);
        expect_status($resp2, 201, "publishing the $program2 graduation");
        note("$program2 graduation {$resp2->json['id']} created for the same family");
        return [[$id, $etag, $resp2->json['id']], "2 graduations created, re-send answered unchanged"];
    });

    // 2b. Republish with a change, only if nobody changed the record since we read ETag "1".
    $etag2 = step('republish', function () use ($api, $gradId, $graduation, $etag1) {
        [$resp] = publish_if_match($api, $gradId, $graduation, $etag1, function (array $r) {
            $r['welfare_decile'] = 7;
            $r['reason'] = 'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan';
            return $r;
        });
        expect_status($resp, 200, 'conditional update');
        check($resp->header('sinergi-result') === 'updated' && $resp->json['version'] === 2, 'not updated to version 2');
        return [$resp->header('etag'), "If-Match $etag1 -> 200 updated, version 2, ETag {$resp->header('etag')}"];
    });

    // 2c. A second writer still holding ETag "1" (stale): 412, then re-read and retry.
    $finalVersion = step('precondition', function () use ($api, $gradId, $graduation, $etag1) {
        [$resp, $conflicts] = publish_if_match($api, $gradId, $graduation, $etag1, function (array $r) {
            $r['attributes'] = ($r['attributes'] ?? []) + ['verifikasi_lapangan' => 'selesai'];
            return $r;
        });
        expect_status($resp, 200, 'retry after 412');
        check($conflicts === 1, 'expected exactly one 412');
        check($resp->json['version'] === 3 && $resp->json['welfare_decile'] === 7, 'the retry lost the other writer\'s change');
        return [3, "stale If-Match $etag1 -> 412, re-read, retried -> version 3 (other writer's change kept)"];
    });

    // 3. Search by NIK (head or member), one record per page to show the cursor.
    step('search', function () use ($api, $agency, $headNik, $memberNik, $gradId, $secondId, $finalVersion) {
        $query = ['nik' => $headNik, 'publisher' => $agency, 'limit' => 1];
        $found = [];
        $pages = 0;
        do {
            $resp = $api->call('GET', '/v1/graduations', $query);
            expect_status($resp, 200, 'GET /v1/graduations');
            $pages++;
            foreach ($resp->json['items'] as $g) {
                $found[$g['id']] = $g;
            }
            $query['cursor'] = $resp->json['next_cursor'] ?? null;   // same filters + cursor
        } while ($query['cursor'] !== null && $pages < 50);
        ksort($found);
        $expected = [$gradId, $secondId];
        sort($expected);
        check(array_keys($found) === $expected, 'the NIK search did not return exactly the two graduations');
        check($found[$gradId]['version'] === $finalVersion, 'the search shows an old version');
        note("nik=" . sinergi_mask($headNik) . " (query string), limit=1: $pages pages, following next_cursor");

        $byMember = $api->call('GET', '/v1/graduations', ['nik' => $memberNik, 'publisher' => $agency]);
        expect_status($byMember, 200, 'search by member NIK');
        check(count($byMember->json['items']) === 2, 'the member NIK does not find the family');
        return [null, "2 graduations found by the head's NIK over $pages pages, and by a member's NIK"];
    });

    // 4. Invalid records: print every entry of the problem's `errors` list.
    step('validation', function () use ($api, $graduation, $headNik, $memberNik, $kk) {
        $bad1 = $graduation;   // a NIK that cannot exist and a decile out of range
        $bad1['source_record_id'] .= '-INVALID-1';
        $bad1['household']['head_nik'] = substr($headNik, 0, 6) . '32' . substr($headNik, 8);   // 32nd day
        $bad1['welfare_decile'] = 11;
        $bad2 = $graduation;   // a repeated member and personal data in free text
        $bad2['source_record_id'] .= '-INVALID-2';
        $bad2['member_niks'] = [$memberNik, $memberNik];
        $bad2['reason'] = "Lulus, NIK kepala keluarga $headNik";   // personal data in free text
        $bad2['attributes'] = ['kk_lama' => $kk];
        $count = 0;
        foreach (['bad identifiers' => $bad1, 'personal data in free text' => $bad2] as $label => $bad) {
            $resp = $api->call('POST', '/v1/graduations', [], $bad);
            expect_status($resp, 400, "invalid record ($label)");
            check($resp->isProblem('urn:sinergi:problem:validation'), 'not a validation problem');
            check(str_starts_with((string) $resp->header('content-type'), 'application/problem+json'), 'not application/problem+json');
            $errors = $resp->json['errors'] ?? [];
            check($errors !== [], 'the problem lists no errors');
            note("$label: " . str_replace("\n", "\n    ", sinergi_describe_problem($resp)));
            $count += count($errors);
        }
        return [null, "2 invalid records refused with 400 validation, $count errors listed"];
    });

    // 5b. Wait for the signed delivery of the last change.
    step('webhook', function () use ($api, $workDir, $hookSecretFile, $hookUrl, $gradId, $finalVersion, $subscriptionId, $waitSecs) {
        // First prove the receiver refuses what it must: a forged signature and a stale timestamp.
        $secret = trim((string) file_get_contents($hookSecretFile));
        $forge = function (string $id, int $ts, string $sig) use ($hookUrl): int {
            $ch = curl_init($hookUrl);
            curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => '{"type":"graduation.updated"}',
                CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => [
                    'Content-Type: application/json', "webhook-id: $id", "webhook-timestamp: $ts", "webhook-signature: $sig"]]);
            curl_exec($ch);
            return (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        };
        $key = base64_decode(substr($secret, 6));
        $old = time() - 600;
        $staleSig = 'v1,' . base64_encode(hash_hmac('sha256', "forged-1.$old." . '{"type":"graduation.updated"}', $key, true));
        check($forge('forged-1', time(), 'v1,' . base64_encode(random_bytes(32))) === 400, 'a forged signature was accepted');
        check($forge('forged-1', $old, $staleSig) === 400, 'a 10-minute-old timestamp was accepted');

        $deadline = microtime(true) + $waitSecs;
        $seen = [];
        while (true) {
            foreach (glob("$workDir/spool/*.json") as $file) {
                $delivery = json_decode((string) file_get_contents($file), true);
                $change = $delivery['data'] ?? [];
                if (($change['record_id'] ?? null) === $gradId) {
                    $seen[$change['version']] = [$delivery['type'], basename($file, '.json')];
                }
            }
            if (isset($seen[$finalVersion]) || microtime(true) > $deadline) {
                break;
            }
            usleep(200_000);
        }
        $rejected = count(glob("$workDir/spool/rejected/*") ?: []);
        check($rejected === 2, 'the receiver refused ' . ($rejected - 2) . ' real deliveries (bad signature?)');
        if (!isset($seen[$finalVersion])) {
            $d = $api->call('GET', "/v1/subscriptions/$subscriptionId/deliveries", ['limit' => 5]);
            throw new StepFailed("no verified delivery of version $finalVersion within {$waitSecs} s; recent attempts: " . $d->raw);
        }
        ksort($seen);
        foreach ($seen as $v => [$type, $hookId]) {
            note("verified $type version $v (webhook-id $hookId)");
        }
        $attempts = $api->call('GET', "/v1/subscriptions/$subscriptionId/deliveries", ['limit' => 10]);
        expect_status($attempts, 200, 'GET deliveries');
        $codes = array_count_values(array_map(fn ($a) => (string) ($a['status_code'] ?? 'none'), $attempts->json['items']));
        note('server side, last attempts by receiver status: ' . json_encode($codes));
        return [null, 'versions ' . implode(', ', array_keys($seen)) . ' delivered and verified; forged and stale deliveries refused'];
    });

    // 6. The change feed from position 0 until our graduation's last version.
    step('changes', function () use ($api, $agency, $gradId, $finalVersion, $waitSecs) {
        $after = 0;
        $pages = 0;
        $read = 0;
        $lastCount = 1000;
        $positions = [];
        $deadline = microtime(true) + $waitSecs + 60;
        while (!isset($positions[$finalVersion])) {
            check(microtime(true) < $deadline, 'the feed does not show the change');
            $query = ['after' => $after, 'types' => 'graduation', 'publishers' => $agency, 'limit' => 1000];
            if ($lastCount < 1000) {
                $query['wait'] = 5;   // at the head: long-poll instead of spinning
            }
            $resp = $api->call('GET', '/v1/changes', $query);
            expect_status($resp, 200, 'GET /v1/changes');
            $pages++;
            $lastCount = count($resp->json['changes']);
            foreach ($resp->json['changes'] as $c) {
                $read++;
                if ($c['type'] === 'graduation' && $c['record_id'] === $gradId) {   // skip unknown types
                    $positions[$c['version']] = "{$c['action']}@{$c['position']}";
                }
            }
            $after = $resp->json['next'];   // keep this to resume after a restart
        }
        ksort($positions);
        $list = implode(', ', array_map(fn ($v, $p) => "v$v $p", array_keys($positions), $positions));
        return [null, "$list; read $read changes in $pages pages from position 0, next=$after"];
    });
} catch (StepFailed | SinergiError | JsonException $e) {
    $failed = true;
    echo "FAIL $currentStep: ", sinergi_mask_text($e->getMessage()), "\n";
} finally {
    // Always remove the subscription (else the exchange retries a dead receiver for 24 h,
    // and an agency may hold only so many), and stop the receiver.
    if ($subscriptionId !== null) {
        try {
            $del = $api->call('DELETE', "/v1/subscriptions/$subscriptionId");
            if ($del->status === 204) {
                echo "ok cleanup - subscription $subscriptionId deleted\n";
            } else {
                $failed = true;
                echo "FAIL cleanup: could not delete subscription $subscriptionId\n", sinergi_describe_problem($del), "\n";
            }
        } catch (SinergiError $e) {
            $failed = true;
            echo 'FAIL cleanup: ', $e->getMessage(), "\n";
        }
    }
    if (is_resource($receiver)) {
        proc_terminate($receiver);
        proc_close($receiver);
    }
    remove_tree($workDir);
}

printf(
    "%s in %.1f s: %d token(s) for %d API calls, %d retries after 429\n",
    $failed ? 'FAILED' : 'all steps ok',
    microtime(true) - $started,
    $api->tokensFetched,
    $api->apiCalls,
    $api->retriesAfter429,
);
exit($failed ? 1 : 0);
