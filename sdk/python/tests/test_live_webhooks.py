"""A real delivery: subscribe, publish, receive on a local port, verify the signature."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from _support import graduation

from sinergi_api import AuthenticatedClient
from sinergi_api.api.graduations import publish_graduation
from sinergi_api.api.subscriptions import create_subscription, delete_subscription
from sinergi_api.models import CreatedSubscription, Graduation, GraduationInput, NewSubscription
from sinergi_sdk import WebhookVerificationError, unwrap, verify_webhook

pytestmark = pytest.mark.live

Delivery = tuple[dict[str, str], bytes]


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[Delivery]]]:
    """A local HTTP receiver (the demo allows plain http to 127.0.0.1) that answers 204."""
    received: queue.Queue[Delivery] = queue.Queue()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.put((dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    finally:
        server.shutdown()
        server.server_close()


def test_delivery_verifies(
    kemensos: AuthenticatedClient, receiver: tuple[str, queue.Queue[Delivery]]
) -> None:
    url, received = receiver
    new = NewSubscription.from_dict({"url": url, "types": ["graduation"]})
    subscription = unwrap(
        create_subscription.sync_detailed(client=kemensos, body=new), CreatedSubscription
    )
    try:
        assert subscription.secret.startswith("whsec_")
        body = graduation()
        created = unwrap(
            publish_graduation.sync_detailed(client=kemensos, body=GraduationInput.from_dict(body)),
            Graduation,
        )
        while True:  # other tests' graduations may come first, in position order
            headers, raw = received.get(timeout=15)
            payload = verify_webhook(subscription.secret, headers, raw)
            if payload["data"]["record_id"] == str(created.id):
                break
        assert payload["type"] == "graduation.created"
        change = payload["data"]
        assert change["record"]["source_record_id"] == body["source_record_id"]
        assert headers["webhook-id"] == f"{subscription.id}-{change['position']}"
        with pytest.raises(WebhookVerificationError):
            verify_webhook(subscription.secret, headers, raw.replace(b"created", b"retracted"))
    finally:
        unwrap(delete_subscription.sync_detailed(subscription.id, client=kemensos))
