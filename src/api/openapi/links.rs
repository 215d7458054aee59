//! OpenAPI links: which value of one operation's answer the next operation takes. They tell
//! an integrator reading the document how the operations chain (publish, then read the
//! record by the `id` it answered), and let tools walk the API as a client would
//! (schemathesis's stateful phase follows them). Only values every such answer carries are
//! linked: the first item of a list or search is absent when nothing matched. The feed's
//! `next` is not linked to `after`: a tool following it would long-poll at the head.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::{OpenApi, RefOr};

/// After `from` answers one of `statuses`, each operation in `to` may be called with its
/// `parameter` taken from the answer by the runtime expression `value`.
struct Links {
    from: &'static str,
    statuses: &'static [&'static str],
    parameter: &'static str,
    value: &'static str,
    to: &'static [&'static str],
}

const BODY_ID: &str = "$response.body#/id";

const LINKS: &[Links] = &[
    Links {
        from: "publish_graduation",
        statuses: &["200", "201"],
        parameter: "id",
        value: BODY_ID,
        to: &["get_graduation", "graduation_history", "retract_graduation"],
    },
    Links {
        from: "get_graduation",
        statuses: &["200"],
        parameter: "id",
        value: BODY_ID,
        to: &["graduation_history", "retract_graduation"],
    },
    Links {
        from: "publish_enrollment",
        statuses: &["200", "201"],
        parameter: "id",
        value: BODY_ID,
        to: &["get_enrollment", "enrollment_history", "retract_enrollment"],
    },
    Links {
        from: "get_enrollment",
        statuses: &["200"],
        parameter: "id",
        value: BODY_ID,
        to: &["enrollment_history", "retract_enrollment"],
    },
    Links {
        from: "create_subscription",
        statuses: &["201"],
        parameter: "id",
        value: BODY_ID,
        to: &[
            "get_subscription",
            "list_deliveries",
            "replay_subscription",
            "enable_subscription",
            "delete_subscription",
        ],
    },
    Links {
        from: "create_referral",
        statuses: &["200", "201"],
        parameter: "id",
        value: BODY_ID,
        to: &["get_referral", "transition_referral"],
    },
    Links {
        from: "transition_referral",
        statuses: &["200"],
        parameter: "id",
        value: BODY_ID,
        to: &["get_referral", "transition_referral"],
    },
    Links {
        from: "record_household_event",
        statuses: &["200", "201"],
        parameter: "kk",
        value: "$response.body#/predecessor_kks/0",
        to: &["household_lineage"],
    },
    Links {
        from: "create_client",
        statuses: &["201"],
        parameter: "id",
        value: "$response.body#/client_id",
        to: &["get_client", "rotate_client_secret", "disable_client"],
    },
];

/// Adds [`LINKS`] to the answers they start from. Panics on a link whose operations or
/// answer are not in the document, so that renaming an operation cannot leave a dangling
/// link (the document is built, and checked, by the tests).
pub fn add(doc: &mut OpenApi) {
    let ids: Vec<String> = operations(doc)
        .filter_map(|op| op.operation_id.clone())
        .collect();
    for end in LINKS.iter().flat_map(|l| l.to.iter().chain([&l.from])) {
        assert!(ids.iter().any(|id| id == end), "no operation {end} to link");
    }
    for operation in operations_mut(doc) {
        let Some(id) = operation.operation_id.clone() else {
            continue;
        };
        for links in LINKS.iter().filter(|l| l.from == id) {
            for status in links.statuses {
                let Some(RefOr::T(response)) = operation.responses.responses.get_mut(*status)
                else {
                    panic!("{id} has no inline {status} answer to link from");
                };
                for to in links.to {
                    let link = LinkBuilder::new()
                        .operation_id(*to)
                        .parameter(links.parameter, links.value)
                        .build();
                    response.links.insert((*to).into(), RefOr::T(link));
                }
            }
        }
    }
}

fn operations(doc: &OpenApi) -> impl Iterator<Item = &utoipa::openapi::path::Operation> {
    doc.paths.paths.values().flat_map(|item| {
        [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
    })
}

fn operations_mut(
    doc: &mut OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    doc.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
    })
}
