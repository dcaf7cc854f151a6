//! Diesel's view of the tables in `migrations/`. Columns the application
//! never reads through Diesel (such as `audit_events.txid`) are left out.

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        roles -> Array<Text>,
        disabled_at -> Nullable<Timestamptz>,
        failed_sign_ins -> Int4,
        throttled_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        session_id -> Uuid,
        issued_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Uuid,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Array<Text>,
        disabled_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    people (id) {
        id -> Uuid,
        surname -> Text,
        forenames -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        gender -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        surname_key -> Text,
        restricted_at -> Nullable<Timestamptz>,
        merged_into -> Nullable<Uuid>,
        details -> Jsonb,
        pnc_id -> Nullable<Text>,
        cro_number -> Nullable<Text>,
        name_key -> Text,
        forename_key -> Text,
        source_system -> Nullable<Text>,
        source_id -> Nullable<Text>,
        restriction_reason -> Nullable<Text>,
        restriction_review_on -> Nullable<Date>,
        restricted_by -> Nullable<Uuid>,
        restriction_request -> Nullable<Uuid>,
    }
}

diesel::table! {
    records (id) {
        id -> Uuid,
        family -> Text,
        kind -> Text,
        reference -> Nullable<Text>,
        occurred_at -> Nullable<Timestamptz>,
        status -> Text,
        handling_code -> Nullable<Text>,
        read_only -> Bool,
        summary -> Text,
        lookup_key -> Nullable<Text>,
        details -> Jsonb,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        source_system -> Nullable<Text>,
        source_id -> Nullable<Text>,
        sort_at -> Timestamptz,
        restricted_at -> Nullable<Timestamptz>,
        restriction_reason -> Nullable<Text>,
        restriction_review_on -> Nullable<Date>,
        restricted_by -> Nullable<Uuid>,
        restriction_request -> Nullable<Uuid>,
    }
}

diesel::table! {
    intelligence_sources (event_id) {
        event_id -> Uuid,
        source_identity -> Text,
    }
}

diesel::table! {
    links (id) {
        id -> Uuid,
        from_type -> Text,
        from_id -> Uuid,
        to_type -> Text,
        to_id -> Uuid,
        role -> Text,
        subject_category -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (principal, key) {
        principal -> Text,
        key -> Text,
        scope -> Text,
        fingerprint -> Bytea,
        record_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    import_tombstones (source_system, source_digest) {
        source_system -> Text,
        source_digest -> Bytea,
        erased_at -> Timestamptz,
    }
}

diesel::table! {
    imports (id) {
        id -> Uuid,
        record_type -> Text,
        source_system -> Text,
        started_by -> Nullable<Uuid>,
        status -> Text,
        lines_read -> Int8,
        written -> Int8,
        already_imported -> Int8,
        failed -> Int8,
        errors -> Jsonb,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_events (seq) {
        seq -> Int8,
        id -> Uuid,
        occurred_at -> Timestamptz,
        operation -> Text,
        action -> Text,
        outcome -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        actor_roles -> Array<Text>,
        on_behalf_of -> Nullable<Uuid>,
        fields -> Array<Text>,
        purpose -> Nullable<Text>,
        reference -> Nullable<Text>,
        reason -> Nullable<Text>,
        recipients -> Array<Text>,
        client_addr -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        request_id -> Text,
        content_hash -> Bytea,
        working_context -> Nullable<Uuid>,
        canonical_version -> Int2,
        reference_hash -> Nullable<Bytea>,
        reason_hash -> Nullable<Bytea>,
    }
}

diesel::table! {
    audit_chain (position) {
        position -> Int8,
        event_seq -> Int8,
        content_hash -> Bytea,
        chain_hash -> Bytea,
        horizon -> Int8,
        sealed_at -> Timestamptz,
    }
}

diesel::table! {
    audit_checkpoints (position) {
        position -> Int8,
        chain_hash -> Bytea,
        signed_at -> Timestamptz,
        key_id -> Text,
        public_key -> Bytea,
        signature -> Bytea,
        version -> Int2,
        log_id -> Nullable<Uuid>,
        number -> Nullable<Int8>,
        previous_position -> Nullable<Int8>,
        previous_chain_hash -> Nullable<Bytea>,
        merkle_root -> Nullable<Bytea>,
    }
}

diesel::table! {
    audit_blocks (block) {
        block -> Int8,
        root -> Bytea,
    }
}

diesel::table! {
    audit_log_identity (only_one) {
        only_one -> Bool,
        log_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_texts (hash) {
        hash -> Bytea,
        key -> Bytea,
        text -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_texts_erased (hash) {
        hash -> Bytea,
        erased_by_request -> Text,
        erased_person -> Uuid,
        erased_at -> Timestamptz,
    }
}

diesel::table! {
    audit_witness_deliveries (witness) {
        witness -> Text,
        delivered_number -> Int8,
        delivered_at -> Timestamptz,
    }
}

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    working_contexts (id) {
        id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        reference -> Nullable<Text>,
        reason -> Nullable<Text>,
        declared_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    audit_event_records (event_seq, position) {
        event_seq -> Int8,
        position -> Int4,
        record_type -> Text,
        record_id -> Uuid,
    }
}

diesel::table! {
    search_outbox (id) {
        id -> Int8,
        record_type -> Text,
        record_id -> Uuid,
        enqueued_at -> Timestamptz,
    }
}

diesel::table! {
    rights_requests (id) {
        id -> Uuid,
        reference -> Text,
        kind -> Text,
        status -> Text,
        requester_name -> Text,
        requester_contact -> Text,
        received_on -> Date,
        identity_proved_on -> Nullable<Date>,
        identity_means -> Nullable<Text>,
        notes -> Nullable<Text>,
        extension_months -> Int4,
        extension_reason -> Nullable<Text>,
        extension_recorded_on -> Nullable<Date>,
        paused_days -> Int4,
        paused_since -> Nullable<Date>,
        pause_reason -> Nullable<Text>,
        due_on -> Nullable<Date>,
        closing_reason -> Nullable<Text>,
        ncnd_reason -> Nullable<Text>,
        released_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    rights_request_subjects (request_id, person_id) {
        request_id -> Uuid,
        person_id -> Uuid,
        attached_by -> Nullable<Uuid>,
        attached_at -> Timestamptz,
    }
}

diesel::table! {
    rights_request_timeline (id) {
        id -> Int8,
        request_id -> Uuid,
        at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        what -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    rights_packs (request_id, number) {
        request_id -> Uuid,
        number -> Int4,
        compiled_at -> Timestamptz,
        compiled_by -> Nullable<Uuid>,
        working -> Jsonb,
        summary -> Jsonb,
        digests -> Jsonb,
        needs_decision -> Array<Text>,
    }
}

diesel::table! {
    rights_pack_decisions (request_id, item_key) {
        request_id -> Uuid,
        item_key -> Text,
        decision -> Text,
        redactions -> Array<Text>,
        ground -> Nullable<Text>,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        decided_at -> Timestamptz,
    }
}

diesel::table! {
    rights_releases (request_id) {
        request_id -> Uuid,
        released_at -> Timestamptz,
        released_by -> Nullable<Uuid>,
        pack -> Jsonb,
    }
}

diesel::table! {
    legal_holds (id) {
        id -> Uuid,
        record_type -> Text,
        record_id -> Uuid,
        reason -> Text,
        review_on -> Date,
        placed_by -> Nullable<Uuid>,
        placed_at -> Timestamptz,
        lifted_by -> Nullable<Uuid>,
        lifted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    supplementary_statements (id) {
        id -> Uuid,
        record_type -> Text,
        record_id -> Uuid,
        statement -> Text,
        request_id -> Nullable<Uuid>,
        added_by -> Nullable<Uuid>,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    recipient_notifications (id) {
        id -> Uuid,
        request_id -> Nullable<Uuid>,
        recipient -> Uuid,
        change -> Text,
        records -> Jsonb,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        sent_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    erasure_plans (id) {
        id -> Uuid,
        request_id -> Nullable<Uuid>,
        person_id -> Uuid,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        plan -> Jsonb,
        executed_at -> Nullable<Timestamptz>,
        certificate_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    erasure_certificates (id) {
        id -> Uuid,
        plan_id -> Uuid,
        issued_at -> Timestamptz,
        issued_by -> Nullable<Uuid>,
        certificate -> Jsonb,
        sha256 -> Bytea,
    }
}

diesel::table! {
    erasure_ledger (certificate_id) {
        certificate_id -> Uuid,
        erased_at -> Timestamptz,
        people -> Array<Uuid>,
        records -> Array<Uuid>,
        redacted -> Array<Uuid>,
    }
}

diesel::table! {
    audit_restores (id) {
        id -> Uuid,
        log_id -> Uuid,
        kept -> Int8,
        kept_position -> Int8,
        kept_hash -> Text,
        lost_through -> Int8,
        declared_at -> Timestamptz,
        reason -> Text,
        key_id -> Text,
        public_key -> Text,
        signature -> Text,
    }
}

diesel::table! {
    retention_schedule (person_id) {
        person_id -> Uuid,
        mopi_group -> Int2,
        clear_from -> Date,
        retained_until -> Nullable<Date>,
        next_review_on -> Date,
    }
}

diesel::table! {
    retention_dirty (person_id) {
        person_id -> Uuid,
    }
}

diesel::table! {
    retention_reviews (id) {
        id -> Uuid,
        person_id -> Uuid,
        reviewed_at -> Timestamptz,
        reviewed_by -> Nullable<Uuid>,
        due_on -> Date,
        mopi_group -> Int2,
        yes -> Array<Text>,
        decision -> Text,
        rationale -> Nullable<Text>,
        next_review_on -> Nullable<Date>,
        certificate_id -> Nullable<Uuid>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(audit_event_records -> audit_events (event_seq));
diesel::joinable!(audit_chain -> audit_events (event_seq));
diesel::joinable!(working_contexts -> users (user_id));
diesel::joinable!(retention_schedule -> people (person_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    refresh_tokens,
    api_clients,
    people,
    audit_events,
    audit_event_records,
    audit_chain,
    audit_checkpoints,
    working_contexts,
    records,
    intelligence_sources,
    links,
    idempotency_keys,
    imports,
    import_tombstones,
    search_outbox,
    audit_log_identity,
    audit_blocks,
    audit_texts,
    audit_texts_erased,
    audit_witness_deliveries,
    organisations,
    rights_requests,
    rights_request_subjects,
    rights_request_timeline,
    rights_packs,
    rights_pack_decisions,
    rights_releases,
    legal_holds,
    supplementary_statements,
    recipient_notifications,
    erasure_plans,
    erasure_certificates,
    erasure_ledger,
    audit_restores,
    retention_schedule,
    retention_dirty,
    retention_reviews,
);
