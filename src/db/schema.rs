// The tables as diesel sees them; both backends' migrations create the same shapes, except
// where the audit log keeps what an entry touched (PostgreSQL: arrays; SQLite: side tables).

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
        follow_up_days -> Nullable<Integer>,
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

diesel::table! {
    clients (id) {
        id -> Text,
        agency_code -> Text,
        name -> Text,
        scopes -> Text,
        secret_hash -> Nullable<Text>,
        jwks -> Nullable<Text>,
        disabled -> Bool,
        created_at -> BigInt,
        tokens_revoked_before -> Nullable<BigInt>,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        algorithm -> Text,
        public_key -> Text,
        private_key -> Text,
        created_at -> BigInt,
        retired_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    used_assertions (client_id, jti) {
        client_id -> Text,
        jti -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    records (id) {
        id -> Text,
        kind -> Text,
        publisher -> Text,
        source_record_id -> Text,
        program -> Text,
        kk -> Nullable<Text>,
        region_digits -> Text,
        event_on -> Text,
        status -> Nullable<Text>,
        graduation_id -> Nullable<Text>,
        content -> Text,
        content_hash -> Text,
        version -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        retracted -> Bool,
        retraction_reason -> Nullable<Text>,
        graduation_type -> Nullable<Text>,
    }
}

diesel::table! {
    record_versions (record_id, version) {
        record_id -> Text,
        version -> BigInt,
        content -> Text,
        content_hash -> Text,
        recorded_at -> BigInt,
        retracted -> Bool,
        retraction_reason -> Nullable<Text>,
    }
}

diesel::table! {
    record_niks (nik, record_id) {
        nik -> Text,
        record_id -> Text,
    }
}

diesel::table! {
    audit_queue (id) {
        id -> BigInt,
        entry -> Text,
    }
}

diesel::table! {
    audit_entries (entry_index) {
        entry_index -> BigInt,
        entry -> Text,
        recorded_at -> BigInt,
        request_id -> Text,
        client_id -> Nullable<Text>,
        agency -> Nullable<Text>,
        purpose -> Nullable<Text>,
        route -> Nullable<Text>,
        outcome -> Text,
        /// PostgreSQL only: SQLite keeps these in `audit_entry_records` and
        /// `audit_entry_niks`, as it has no arrays (`db::audit::append`).
        record_ids -> Array<Text>,
        subject_hashes -> Array<Text>,
    }
}

diesel::table! {
    /// SQLite only (PostgreSQL: `audit_entries.record_ids`).
    audit_entry_records (record_id, entry_index) {
        record_id -> Text,
        entry_index -> BigInt,
    }
}

diesel::table! {
    /// SQLite only (PostgreSQL: `audit_entries.subject_hashes`).
    audit_entry_niks (nik_hash, entry_index) {
        nik_hash -> Text,
        entry_index -> BigInt,
    }
}

diesel::table! {
    audit_nodes (level, position) {
        level -> SmallInt,
        position -> BigInt,
        hash -> Binary,
    }
}

diesel::table! {
    audit_checkpoints (tree_size) {
        tree_size -> BigInt,
        root_hash -> Binary,
        note -> Text,
        signed_at -> BigInt,
    }
}

diesel::table! {
    changes (id) {
        id -> BigInt,
        position -> Nullable<BigInt>,
        kind -> Text,
        action -> Text,
        record_id -> Text,
        version -> BigInt,
        publisher -> Text,
        program -> Text,
        occurred_at -> BigInt,
        positioned_at -> Nullable<BigInt>,
        party -> Nullable<Text>,
        content -> Nullable<Text>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        agency -> Text,
        url -> Text,
        types -> Text,
        programs -> Text,
        publishers -> Text,
        secret -> Text,
        position -> BigInt,
        state -> Text,
        attempts -> Integer,
        first_failed_at -> Nullable<BigInt>,
        next_attempt_at -> BigInt,
        leased_by -> Nullable<Text>,
        leased_until -> Nullable<BigInt>,
        created_at -> BigInt,
        created_by -> Text,
        purpose -> Nullable<Text>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        subscription_id -> Text,
        position -> BigInt,
        attempt -> Integer,
        attempted_at -> BigInt,
        status_code -> Nullable<Integer>,
        latency_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    purposes (code) {
        code -> Text,
        name_id -> Text,
        name_en -> Text,
        description -> Text,
    }
}

diesel::table! {
    agreements (id) {
        id -> Text,
        provider_agency -> Text,
        consumer_agency -> Text,
        status -> Text,
        version_in_force -> Nullable<BigInt>,
        latest_version -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    agreement_versions (agreement_id, version) {
        agreement_id -> Text,
        version -> BigInt,
        terms -> Text,
        state -> Text,
        proposed_by -> Text,
        proposed_at -> BigInt,
        approved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    referral_reasons (code) {
        code -> Text,
        name_id -> Text,
        name_en -> Text,
        applies_to -> Text,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        requester_agency -> Text,
        source_record_id -> Text,
        graduation_id -> Text,
        graduation_publisher -> Text,
        program -> Text,
        region_digits -> Text,
        subject_kk -> Text,
        subject_nik -> Text,
        purpose -> Text,
        reason_code -> Text,
        priority -> Text,
        note -> Nullable<Text>,
        status -> Text,
        status_reason -> Nullable<Text>,
        owner_agency -> Nullable<Text>,
        enrollment_id -> Nullable<Text>,
        respond_by -> BigInt,
        complete_by -> BigInt,
        request_sha256 -> Text,
        version -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    referral_offers (referral_id, agency) {
        referral_id -> Text,
        agency -> Text,
        target_program -> Nullable<Text>,
        rank -> Integer,
        fallback -> Bool,
        state -> Text,
        reason_code -> Nullable<Text>,
        offered_at -> Nullable<BigInt>,
        answered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    follow_up_signals (id) {
        id -> Text,
        kind -> Text,
        cause -> Text,
        trigger_id -> Text,
        graduation_id -> Text,
        publisher -> Text,
        program -> Text,
        region_digits -> Text,
        referral_id -> Nullable<Text>,
        records -> Text,
        raised_at -> BigInt,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    household_events (id) {
        id -> Text,
        agency -> Text,
        source_record_id -> Text,
        kind -> Text,
        effective_on -> Text,
        source -> Text,
        content -> Text,
        request_sha256 -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    household_links (event_id, position) {
        event_id -> Text,
        position -> Integer,
        from_kk -> Text,
        to_kk -> Nullable<Text>,
        nik -> Nullable<Text>,
        effective_on -> Text,
    }
}

diesel::table! {
    people (username) {
        username -> Text,
        agency_code -> Text,
        role -> Text,
        password_hash -> Text,
        totp_secret -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
        failed_sign_ins -> Integer,
        locked_until -> Nullable<BigInt>,
        disabled -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    console_sessions (token_sha256) {
        token_sha256 -> Text,
        username -> Text,
        csrf_token -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(clients -> agencies (agency_code));
diesel::joinable!(people -> agencies (agency_code));
diesel::joinable!(console_sessions -> people (username));
diesel::joinable!(agreement_versions -> agreements (agreement_id));
diesel::joinable!(deliveries -> subscriptions (subscription_id));
diesel::joinable!(record_versions -> records (record_id));
diesel::joinable!(record_niks -> records (record_id));
diesel::joinable!(referral_offers -> referrals (referral_id));
diesel::joinable!(household_links -> household_events (event_id));
diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    programs,
    regions,
    meta,
    clients,
    signing_keys,
    used_assertions,
    records,
    record_versions,
    record_niks,
    audit_queue,
    audit_entries,
    audit_entry_records,
    audit_entry_niks,
    audit_nodes,
    audit_checkpoints,
    changes,
    subscriptions,
    deliveries,
    purposes,
    agreements,
    agreement_versions,
    referral_reasons,
    referrals,
    referral_offers,
    follow_up_signals,
    household_events,
    household_links,
    people,
    console_sessions
);
