// The tables as diesel sees them; both backends' migrations create the same shapes.

diesel::table! {
    agencies (code) {
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    programs (code) {
        code -> Text,
        name -> Text,
        agency_code -> Text,
        kind -> Text,
        active -> Bool,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
    }
}

diesel::table! {
    meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(programs -> agencies (agency_code));
diesel::allow_tables_to_appear_in_same_query!(agencies, programs, regions, meta);
