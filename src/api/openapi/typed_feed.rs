//! The feed's and the webhooks' changes, typed: a generated client gets a model per kind of
//! change (a `GraduationChange` whose `record` is a `Graduation`, …) rather than a bag of
//! fields. `Change` is serialised from one struct holding the record as JSON, so its schema
//! is rewritten here as a `oneOf` discriminated by `type`, one member per `ChangeType`.
//! The deliveries a subscription receives are described under the document's `webhooks`.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

use crate::domain::graduation::graduation_example;
use crate::feed::read::ChangeType;

/// Each change type's schema name and the schema of its `record`.
fn members() -> [(ChangeType, &'static str, &'static str); 5] {
    [
        (ChangeType::Graduation, "GraduationChange", "Graduation"),
        (ChangeType::Enrollment, "EnrollmentChange", "Enrollment"),
        (ChangeType::Agreement, "AgreementChange", "Agreement"),
        (ChangeType::Referral, "ReferralChange", "Referral"),
        (ChangeType::FollowUp, "FollowUpChange", "Signal"),
    ]
}

pub fn add(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(change) = components.schemas.remove("Change") else {
        return;
    };
    let change = serde_json::to_value(change).expect("a schema serialises");
    let mut mapping = serde_json::Map::new();
    let mut one_of = Vec::new();
    for (kind, name, record) in members() {
        let mut member = change.clone();
        member["description"] = json!(format!(
            "A change of type `{kind}`: its `record` is the `{record}` as the change left it, \
             shown as the reader may see it.",
            kind = kind.as_str()
        ));
        member["properties"]["type"] = json!({"type": "string", "enum": [kind.as_str()]});
        member["properties"]["record"] = json!({"$ref": format!("#/components/schemas/{record}")});
        // `Change`'s example shows a graduation; its record, whole, is the graduation's.
        if kind == ChangeType::Graduation {
            member["example"]["record"] = graduation_example();
        } else {
            member
                .as_object_mut()
                .expect("an object schema")
                .remove("example");
        }
        components.schemas.insert(name.into(), schema(member));
        let reference = format!("#/components/schemas/{name}");
        mapping.insert(kind.as_str().into(), json!(reference));
        one_of.push(json!({"$ref": reference}));
    }
    let typed = json!({
        "description": change["description"],
        "oneOf": one_of,
        "discriminator": {"propertyName": "type", "mapping": mapping},
    });
    components.schemas.insert("Change".into(), schema(typed));
    components
        .schemas
        .insert("WebhookDelivery".into(), schema(delivery()));
    doc.webhooks = Some(
        serde_json::from_value(json!({"change": {"post": webhook()}}))
            .expect("the webhook's path item is well formed"),
    );
}

fn schema(value: Value) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    serde_json::from_value(value).expect("a schema written here is well formed")
}

/// The body POSTed to a subscription's URL.
fn delivery() -> Value {
    json!({
        "type": "object",
        "description": "One change delivered to a subscription: the change exactly as \
            `GET /v1/changes` shows it to the subscribing agency.",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {
                "type": "string",
                "description": "The change's `type` and `action`, as `graduation.created`, \
                    `referral.accepted` or `follow_up.raised`.",
                "pattern": "^[a-z_]+\\.[a-z_]+$",
                "example": "graduation.created",
            },
            "timestamp": {
                "type": "string",
                "format": "date-time",
                "description": "The change's `occurred_at`.",
            },
            "data": {"$ref": "#/components/schemas/Change"},
        },
    })
}

/// How a subscription's URL is called, signed as Standard Webhooks specifies.
fn webhook() -> Value {
    let header = |name: &str, description: &str| {
        json!({"name": name, "in": "header", "required": true,
               "description": description, "schema": {"type": "string"}})
    };
    json!({
        "summary": "A change, delivered to a subscription's URL.",
        "description": "Changes are POSTed one at a time per subscription, in position \
            order: the next goes out only after the receiver answered 2xx to this one. \
            Delivery is at least once, so deduplicate on `webhook-id`. Verify the signature \
            before trusting the body: HMAC-SHA256 with the subscription's secret (base64 after \
            `whsec_`) over `webhook-id.webhook-timestamp.body`, and refuse a timestamp more \
            than five minutes from now.",
        "operationId": "receive_change",
        "tags": ["subscriptions"],
        "parameters": [
            header("webhook-id", "The delivery's id: the same on every retry of it."),
            header("webhook-timestamp", "Seconds since the Unix epoch when it was signed."),
            header("webhook-signature", "`v1,` and the base64 HMAC-SHA256 signature."),
        ],
        "requestBody": {
            "required": true,
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/WebhookDelivery"}
            }},
        },
        "responses": {
            "2XX": {"description": "Received: the next change follows."},
            "default": {"description": "Not received: the change is retried with back-off for 24 hours (by default), and nothing after it goes out meanwhile."},
        },
    })
}
