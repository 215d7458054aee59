//! Records as another agency reads them: projected to an agreement's fields, so only the
//! fields every read shows stay required, and a `subject_ref` may stand in for the NIK.
//! Said once here on the `Graduation` and `Enrollment` schemas, which every read answers.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{OpenApi, RefOr};

use crate::domain::agreement::ALWAYS_SHOWN;

pub fn add(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for name in ["Graduation", "Enrollment"] {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) else {
            continue;
        };
        object
            .required
            .retain(|field| ALWAYS_SHOWN.contains(&format!("/{field}").as_str()));
        let subject_ref = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9a-f]{64}$"))
            .description(Some(
                "Present instead of the subject's NIK (the household head's, or the enrolled \
                 person's) when the reader's data-sharing agreement does not include that \
                 field: a keyed hash of the NIK for the reader's agency, the same on every \
                 read, different for every agency. It links records of one person without \
                 disclosing the NIK; re-identifying needs an agreement that includes the NIK.",
            ))
            .build();
        object
            .properties
            .insert("subject_ref".into(), RefOr::T(Schema::Object(subject_ref)));
        let note = "\n\nRead by another agency than its publisher, a record holds only the fields \
            of the data-sharing agreement it is read under (the metadata, `source_record_id`, \
            `publisher` and `program` always).";
        let description = object.description.get_or_insert_with(String::new);
        description.push_str(note);
    }
}
