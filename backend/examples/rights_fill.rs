//! Writes a hash-valid audit log of N synthetic events, for the subject
//! access benchmark (`cargo xtask bench rights`): every event's canonical
//! form and content hash as Probity computes them, the chain, the Merkle
//! blocks, and one checkpoint over it all signed with the data directory's
//! key, so the server's sealer and a subject access pack work on it exactly
//! as on a real log. Output: tab-separated files for `COPY` and the
//! checkpoint as SQL.
//!
//! `rights_fill OUT_DIR DATA_DIR LOG_ID EVENTS PEOPLE`

use chrono::{Duration, TimeZone, Utc};
use probity::audit::merkle::{self, Frontier};
use probity::audit::{CheckpointStatement, RecordRef, StampedEvent, chain_link};
use std::io::{BufWriter, Write};
use uuid::Uuid;

fn person(i: i64) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-9000-{i:012x}")).unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, data, log, events, people] = args.as_slice() else {
        anyhow::bail!("usage: rights_fill OUT_DIR DATA_DIR LOG_ID EVENTS PEOPLE");
    };
    let (events, people): (i64, i64) = (events.parse()?, people.parse()?);
    let log: Uuid = log.parse()?;
    let out = std::path::Path::new(out);
    std::fs::create_dir_all(out)?;
    let file = |name: &str| -> anyhow::Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(out.join(name))?,
        ))
    };
    let (mut ev, mut rec, mut chain, mut blocks) = (
        file("events.tsv")?,
        file("records.tsv")?,
        file("chain.tsv")?,
        file("blocks.tsv")?,
    );
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut prev = vec![0u8; 32];
    let mut frontier = Frontier::default();
    let mut block_leaves = Vec::with_capacity(merkle::BLOCK as usize);
    for i in 1..=events {
        let time = start + Duration::seconds(2 * i);
        let (operation, action) = match i % 100 {
            1 => ("disclosure", "person.disclose"),
            2 => ("combination", "person.merge"),
            3 | 23 | 43 | 63 | 83 => ("collection", "person.create"),
            10 | 20 | 30 | 40 | 50 | 60 | 70 | 80 | 90 => ("alteration", "person.update"),
            _ => ("consultation", "person.read"),
        };
        let actor =
            Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 + (i % 2_000) as u128);
        let record = person(i % people);
        let event = StampedEvent {
            id: Uuid::from_u128(0x0000_0000_0000_4000_a000_0000_0000_0000 + i as u128),
            occurred_at: time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            operation: operation.into(),
            action: action.into(),
            outcome: "allowed".into(),
            actor_type: "user".into(),
            actor_id: Some(actor),
            actor_roles: vec!["officer".into()],
            on_behalf_of: None,
            records: vec![RecordRef::new("person", record)],
            fields: Vec::new(),
            purpose: Some("investigation".into()),
            reference: None,
            reason: None,
            reference_text: None,
            reason_text: None,
            recipients: if operation == "disclosure" {
                vec!["organisation:00000000-0000-4000-8000-000000000002".into()]
            } else {
                Vec::new()
            },
            client_addr: None,
            user_agent: None,
            request_id: format!("bench-{i}"),
            working_context: None,
            canonical_version: 2,
            time,
        };
        let content = event.content_hash();
        let hex_content = hex::encode(content);
        writeln!(
            ev,
            "{i}\t{}\t{}\t{operation}\t{action}\tallowed\tuser\t{actor}\t{{officer}}\t{{}}\tinvestigation\t{{{}}}\tbench-{i}\t\\\\x{hex_content}\t2",
            event.id,
            time.format("%Y-%m-%d %H:%M:%S+00"),
            event.recipients.join(","),
        )?;
        writeln!(rec, "{i}\t0\tperson\t{record}")?;
        let link = chain_link(&prev, &content, i, i);
        writeln!(
            chain,
            "{i}\t{i}\t\\\\x{hex_content}\t\\\\x{}",
            hex::encode(link)
        )?;
        prev = link.to_vec();
        let leaf = merkle::leaf(i, &content);
        frontier.push(leaf);
        block_leaves.push(leaf);
        if block_leaves.len() as u64 == merkle::BLOCK {
            let root = merkle::root_of(&block_leaves).unwrap_or_default();
            writeln!(
                blocks,
                "{}\t\\\\x{}",
                (i - 1) / merkle::BLOCK as i64,
                hex::encode(root)
            )?;
            block_leaves.clear();
        }
    }
    for mut w in [ev, rec, chain, blocks] {
        w.flush()?;
    }
    let keys =
        probity::auth::keys::Keyring::load_or_create(&std::path::Path::new(data).join("keys"))?;
    let key = keys
        .active()
        .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
    let statement = CheckpointStatement {
        version: 2,
        log_id: Some(log),
        number: Some(1),
        position: events,
        chain_hash: prev.clone(),
        previous_position: Some(0),
        previous_chain_hash: Some(vec![0; 32]),
        merkle_root: frontier.root().map(|r| r.to_vec()),
        signed_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
    };
    let signature = key.sign(&statement.message());
    std::fs::write(
        out.join("checkpoint.sql"),
        format!(
            "INSERT INTO audit_checkpoints (position, chain_hash, signed_at, key_id, public_key, signature, version, log_id, number, previous_position, previous_chain_hash, merkle_root) \
             VALUES ({events}, '\\x{}', '{}', '{}', '\\x{}', '\\x{}', 2, '{log}', 1, 0, '\\x{}', '\\x{}');",
            hex::encode(&prev),
            statement.signed_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
            key.kid,
            hex::encode(key.public_bytes()),
            hex::encode(signature),
            hex::encode([0u8; 32]),
            hex::encode(statement.merkle_root.clone().unwrap_or_default()),
        ),
    )?;
    println!("wrote {events} events about {people} people, signed at position {events}");
    Ok(())
}
