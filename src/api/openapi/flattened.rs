//! Agreements carry their terms flattened beside their own fields (`#[serde(flatten)]`),
//! which utoipa describes as `allOf` of the closed `Terms` object and the rest: a document
//! no value can satisfy, since each part forbids the other's properties. Merged here into one
//! object per schema, as the JSON really is; a proposal stays closed (unknown fields are
//! refused), the views open.

use utoipa::openapi::schema::{AdditionalProperties, Object, Schema};
use utoipa::openapi::{OpenApi, RefOr};

/// The schemas that flatten `Terms`, and whether unknown properties are refused.
const FLATTENING: [(&str, bool); 3] = [
    ("NewAgreement", true),
    ("Agreement", false),
    ("AgreementVersion", false),
];

pub fn merge(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (name, closed) in FLATTENING {
        let Some(RefOr::T(Schema::AllOf(all_of))) = components.schemas.get(name) else {
            continue;
        };
        let mut merged = Object::new();
        merged.description = all_of.description.clone();
        for part in &all_of.items {
            let part = match part {
                RefOr::Ref(reference) => {
                    let target = reference
                        .ref_location
                        .rsplit('/')
                        .next()
                        .unwrap_or_default();
                    match components.schemas.get(target) {
                        Some(RefOr::T(Schema::Object(object))) => object.clone(),
                        _ => continue,
                    }
                }
                RefOr::T(Schema::Object(object)) => object.clone(),
                RefOr::T(_) => continue,
            };
            merged.properties.extend(part.properties);
            merged.required.extend(part.required);
            if merged.schema_type == Default::default() {
                merged.schema_type = part.schema_type;
            }
        }
        merged.additional_properties =
            closed.then(|| Box::new(AdditionalProperties::FreeForm(false)));
        components
            .schemas
            .insert(name.into(), RefOr::T(Schema::Object(merged)));
    }
}
