//! `GET /api/v1/people/{id}/profile`: everything linked to a person across
//! every module in one response, and one audited consultation listing every
//! record shown. Whatever the viewer's role or handling codes do not allow
//! is left out, by the same rule as every other read.

use super::store::{self, Resolved};
use crate::audit::{self, AuditEvent, Audited, Operation, Outcome, RecordRef, Tx};
use crate::auth::{Authorised, perm};
use crate::error::ApiError;
use crate::records::links;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use shared::error::Problem;
use shared::events::{EventKind, EventSummary};
use shared::ids::PersonId;
use shared::links::RecordType;
use shared::profile::{PersonProfile, ProfileEvent, ProfileLink};
use std::collections::HashMap;

/// What the profile is wanted for: each is recorded as what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shown {
    /// On screen: a consultation.
    OnScreen,
    /// On paper: a disclosure, since the copy leaves Probity's control.
    Printed,
    /// As a file: a disclosure, for the same reason.
    Exported,
}

impl Shown {
    fn operation(self) -> Operation {
        match self {
            Shown::OnScreen => Operation::Consultation,
            Shown::Printed | Shown::Exported => Operation::Disclosure,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Shown::OnScreen => "person.profile",
            Shown::Printed => "person.print",
            Shown::Exported => "person.export",
        }
    }

    fn event(self, records: Vec<RecordRef>, recipient: Option<&str>) -> AuditEvent {
        let mut event = AuditEvent::new(self.operation(), self.action(), records);
        if self != Shown::OnScreen {
            // A copy carries the whole profile: say which fields left.
            event = event.fields(
                [
                    "surname",
                    "forenames",
                    "date_of_birth",
                    "gender",
                    "details",
                    "warning_markers",
                    "links",
                ]
                .map(str::to_owned)
                .to_vec(),
            );
            event.recipients = recipient.map(str::to_owned).into_iter().collect();
        }
        event
    }
}

pub(super) async fn profile(
    tx: &mut Tx,
    id: PersonId,
    shown: Shown,
    recipient: Option<&str>,
) -> Result<Audited<Option<PersonProfile>>, ApiError> {
    let (person, ids) = match store::resolve(tx, id).await? {
        Resolved::Missing => return Ok(Audited::none()),
        Resolved::Refused(found) => {
            let mut event = shown.event(vec![RecordRef::new("person", found)], recipient);
            event.outcome = Outcome::Refused;
            return Ok(Audited::new(None, event));
        }
        Resolved::Visible(person, ids) => (*person, ids),
    };
    let mut person = person;
    // Statements completing the record (s.46) show wherever it shows.
    person.statements = crate::rights::rectify::statements_of(tx.conn()?, &ids)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let mut all_links = links::of(tx, &ids).await?;
    // Events, objects and locations are shown only to those who may read
    // records (an API client may hold person.read alone).
    if !tx.ctx().can(shared::permissions::Permission::RecordRead) {
        all_links.retain(|l| {
            l.from.record_type == RecordType::Person && l.to.record_type == RecordType::Person
        });
    }
    let far: Vec<_> = all_links
        .iter()
        .map(|l| {
            if ids.contains(&l.from.id) {
                (l, l.to)
            } else {
                (l, l.from)
            }
        })
        .collect();
    let record_ids: Vec<_> = far
        .iter()
        .filter(|(_, k)| k.record_type != RecordType::Person)
        .map(|(_, k)| k.id)
        .collect();
    let rows: HashMap<_, _> = links::visible_rows(tx, &record_ids)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut records_shown = vec![RecordRef::new("person", person.id.0)];
    let mut profile = PersonProfile {
        warning_markers: {
            let mut m = person.details.warning_markers.clone();
            m.sort_by(|a, b| a.review_date.cmp(&b.review_date));
            m
        },
        person,
        events: Vec::new(),
        objects: Vec::new(),
        locations: Vec::new(),
        people: Vec::new(),
    };
    for (link, key) in far {
        if key.record_type == RecordType::Person {
            // A person linked directly (an associate): name only via its own read.
            profile.people.push(ProfileLink {
                link_id: link.id,
                role: link.role,
                record_type: key.record_type,
                id: key.id,
                summary: String::new(),
            });
            records_shown.push(RecordRef::new("person", key.id));
            continue;
        }
        let Some(row) = rows.get(&key.id) else {
            continue;
        };
        records_shown.push(RecordRef::new(key.record_type.as_str(), key.id));
        match key.record_type {
            RecordType::Event => {
                let Some(kind) = EventKind::parse(&row.kind) else {
                    continue;
                };
                profile.events.push(ProfileEvent {
                    link_id: link.id,
                    role: link.role,
                    subject_category: link.subject_category,
                    event: EventSummary {
                        id: row.id,
                        reference: row.reference.clone().unwrap_or_default(),
                        kind,
                        occurred_at: row.sort_at,
                        summary: row.summary.clone(),
                        status: row.status.clone(),
                    },
                });
            }
            other => {
                let entry = ProfileLink {
                    link_id: link.id,
                    role: link.role,
                    record_type: other,
                    id: row.id,
                    summary: row.summary.clone(),
                };
                if other == RecordType::Object {
                    profile.objects.push(entry);
                } else {
                    profile.locations.push(entry);
                }
            }
        }
    }
    profile
        .events
        .sort_by_key(|e| std::cmp::Reverse(e.event.occurred_at));
    records_shown.dedup();
    let event = shown.event(records_shown, recipient);
    Ok(Audited::new(Some(profile), event))
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/profile", tag = "people",
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id (a merged duplicate's id resolves to the survivor)"),
        ("Probity-Justification" = String, Header, description = "Why: purpose=<purpose>&reference=<ref> or &reason=<text>"),
    ),
    security(("bearer" = ["person.read"])),
    responses(
        (status = 200, description = "The person, warning markers first, then linked events newest first, objects, locations and people", body = PersonProfile),
        (status = 403, description = "Requires person.read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No justification stated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    auth: Authorised<perm::PersonRead>,
    state: web::Data<AppState>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = audit::run(&state, &auth.ctx, |tx| {
        Box::pin(profile(tx, id, Shown::OnScreen, None))
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}
