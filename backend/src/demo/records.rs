//! Fictional people and what happened to them, for every module: crime,
//! intelligence, custody, stop and search (including complete strip-search
//! records of children), case files, vehicles and addresses, all linked.

use crate::audit;
use crate::auth::RequestContext;
use crate::records::events::Events;
use crate::records::locations::Locations;
use crate::records::objects::Objects;
use crate::records::{Family, store};
use crate::state::AppState;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use shared::people::details::make_pnc_id;
use shared::people::{Gender, PersonInput};
use shared::permissions::Permission;
use uuid::Uuid;

pub const PEOPLE: usize = 300;

const SURNAMES: [&str; 30] = [
    "Ashdown",
    "Brennan",
    "Castellano",
    "Dlamini",
    "Evershed",
    "Fairweather",
    "Ghosh",
    "Hollis",
    "Iwobi",
    "Jankowski",
    "Kavanagh",
    "Lindqvist",
    "McAllister",
    "Nakamura",
    "O'Dowd",
    "Pemberton",
    "Quayle",
    "Rahman",
    "Smith-Oduya",
    "Thorncroft",
    "Umarov",
    "Villiers",
    "Whitlock",
    "Xu",
    "Yardley",
    "Zielinski",
    "Achterberg",
    "Bhatti",
    "Corrigan",
    "Devereux",
];
const FORENAMES: [(&str, Gender); 12] = [
    ("Amelia", Gender::Female),
    ("Bartholomew", Gender::Male),
    ("Chloe", Gender::Female),
    ("Desmond", Gender::Male),
    ("Eilidh", Gender::Female),
    ("Farhan", Gender::Male),
    ("Grace", Gender::Female),
    ("Hamish", Gender::Male),
    ("Imogen", Gender::Female),
    ("Jonah", Gender::Male),
    ("Keeley", Gender::Female),
    ("Luca", Gender::Male),
];
const STREETS: [&str; 8] = [
    "Albion Street",
    "Briggate",
    "Chapel Lane",
    "Dock Road",
    "Elmwood Avenue",
    "Foundry Way",
    "Granary Wharf",
    "Hanover Square",
];
const ETHNICITIES: [&str; 8] = ["W1", "W2", "A1", "A2", "B1", "B2", "M1", "NS"];

fn person(i: usize, today: chrono::NaiveDate) -> PersonInput {
    let (forename, gender) = FORENAMES[(i * 7) % FORENAMES.len()];
    // One in eight is a child (for youth-justice and strip-search records).
    let year = if i % 8 == 3 {
        2009 + (i % 4) as i32
    } else {
        1950 + ((i * 13) % 55) as i32
    };
    let mut details = shared::people::PersonDetails {
        self_defined_ethnicity: ETHNICITIES[i % ETHNICITIES.len()].to_owned(),
        ..Default::default()
    };
    if i.is_multiple_of(5) {
        details.pnc_id = make_pnc_id(2000 + (i % 24) as u32, 100_000 + i as u32);
    }
    if i.is_multiple_of(9) {
        details.aliases.push(shared::people::details::Alias {
            surname: SURNAMES[(i + 11) % SURNAMES.len()].to_owned(),
            forenames: String::new(),
        });
    }
    if i.is_multiple_of(10) {
        use shared::people::details::{MarkerKind, WarningMarker};
        let kinds = [
            MarkerKind::Violent,
            MarkerKind::Weapons,
            MarkerKind::SelfHarm,
            MarkerKind::Drugs,
        ];
        details.warning_markers.push(WarningMarker {
            kind: kinds[(i / 10) % kinds.len()],
            review_date: (today + Duration::days(30 + i as i64)).to_string(),
            note: String::new(),
        });
    }
    if i.is_multiple_of(4) {
        details
            .addresses
            .push(shared::people::details::AddressHistory {
                address: format!("{} {}, Leeds", 1 + i % 90, STREETS[i % STREETS.len()]),
                postcode: format!("LS{} {}AB", 1 + i % 17, i % 10),
                from: "2018-01-01".to_owned(),
                to: String::new(),
            });
    }
    PersonInput {
        surname: SURNAMES[i % SURNAMES.len()].into(),
        forenames: forename.into(),
        date_of_birth: format!("{year}-{:02}-{:02}", 1 + (i * 5) % 12, 1 + (i * 11) % 28),
        gender,
        details,
    }
}

fn link(person: Uuid, role: &str, category: &str) -> Value {
    json!({"to": {"type": "person", "id": person}, "role": role, "subject_category": category})
}

fn ago(days: i64, hours: i64) -> String {
    shared::rules::format_datetime(Utc::now() - Duration::days(days) - Duration::hours(hours))
}

/// Writes one record of a family from its JSON body, through the store.
async fn record<F: Family>(
    state: &AppState,
    ctx: &RequestContext,
    body: Value,
) -> anyhow::Result<Uuid> {
    let input: F::Input = serde_json::from_value(body)?;
    let id = Uuid::new_v4();
    let prepared = F::prepare(&input, id, &state.rules())
        .map_err(|e| anyhow::anyhow!("demo {}: {e:?}", F::NAME))?;
    audit::run(state, ctx, |tx| {
        Box::pin(async move {
            store::create::<F>(tx, id, prepared)
                .await
                .map(|a| a.map(|_| ()))
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("demo {}: {e}", F::NAME))?;
    Ok(id)
}

fn strip_search(i: usize, dob: &str, child: Uuid, sex: &str) -> Value {
    json!({
        "occurred_at": ago((i % 200) as i64, 3),
        "details": {
            "kind": "stop_search", "search_type": "intimate_exposure", "legal_power": "misuse_of_drugs_s23",
            "grounds": "Strong smell of cannabis and seen concealing a package in clothing",
            "object_of_search": "drugs", "subject_date_of_birth": dob, "subject_sex": sex,
            "self_defined_ethnicity": ETHNICITIES[i % ETHNICITIES.len()],
            "place_type": "police_station", "address": "Elland Road Police Station, Leeds", "postcode": "LS11 8BU",
            "officers_present": [{"identity": format!("PC {}", 1000 + i), "sex": sex}],
            "authorising_officer": "Insp 204 Marsh", "authorising_rank": "inspector",
            "appropriate_adult": "R. Okoye, Leeds Youth Offending Service",
            "parent_notified_at": ago((i % 200) as i64, 2),
            "outcome": if i.is_multiple_of(3) { "arrest" } else { "no_further_action" },
            "safeguarding_referral": true
        },
        "links": [link(child, "searched_person", "suspect")]
    })
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let ctx = RequestContext::system(
        "demo-seed",
        vec![
            Permission::PersonCreate,
            Permission::RecordCreate,
            Permission::RecordLink,
            Permission::IntelligenceRead,
            Permission::IntelligenceConditioned,
        ],
    );
    let today = state.today();
    let mut people = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let input = person(i, today);
        let valid = input
            .validate(today)
            .map_err(|e| anyhow::anyhow!("demo person: {e:?}"))?;
        let id = Uuid::new_v4();
        audit::run(state, &ctx, |tx| {
            Box::pin(crate::people::store::create(tx, id, valid))
        })
        .await?;
        people.push((id, input));
    }
    for i in 0..PEOPLE {
        let (id, p) = &people[i];
        let (other, _) = &people[(i + 1) % PEOPLE];
        let sex = if p.gender == Gender::Female {
            "female"
        } else {
            "male"
        };
        let child = p.date_of_birth.as_str() >= "2008";
        if i % 3 == 0 {
            let place = record::<Locations>(state, &ctx, json!({"details": {
                "address": format!("{} {}, Leeds", 2 + i % 70, STREETS[(i + 3) % STREETS.len()]),
                "postcode": format!("LS{} {}CD", 1 + i % 17, i % 10), "place_type": "street"
            }})).await?;
            let crimes = [
                ("008/01", "Theft from the person"),
                ("105/01", "Assault with injury"),
                ("058/01", "Criminal damage to a vehicle"),
                ("028/01", "Burglary, residential"),
            ];
            let (code, what) = crimes[(i / 3) % crimes.len()];
            let status = ["reported", "under_investigation", "charged", "filed"][(i / 3) % 4];
            record::<Events>(state, &ctx, json!({
                "occurred_at": ago((i % 300) as i64, 5),
                "details": {"kind": "occurrence", "offence_code": code, "classification": what, "status": status,
                            "officer_in_case": format!("DC {}", 300 + i % 40), "narrative": "Reported by phone; scene attended."},
                "links": [link(*id, "victim", "victim"), link(*other, "suspect", "suspect"),
                          {"to": {"type": "location", "id": place}, "role": "location_of_event"}]
            })).await?;
        }
        if i % 5 == 1 {
            record::<Events>(state, &ctx, json!({
                "occurred_at": ago((i % 250) as i64, 8),
                "details": {"kind": "stop_search", "search_type": "standard", "legal_power": "pace_s1",
                            "grounds": "Matched the description of a suspect seen leaving a burgled house",
                            "object_of_search": "stolen_property", "self_defined_ethnicity": ETHNICITIES[i % ETHNICITIES.len()],
                            "place_type": "street", "address": format!("{}, Leeds", STREETS[i % STREETS.len()]),
                            "outcome": if i % 4 == 1 { "arrest" } else { "no_further_action" }},
                "links": [link(*id, "searched_person", "suspect")]
            })).await?;
        }
        if child && i % 2 == 1 {
            record::<Events>(state, &ctx, strip_search(i, &p.date_of_birth, *id, sex)).await?;
        }
        if i % 7 == 2 {
            record::<Events>(state, &ctx, json!({
                "occurred_at": ago((i % 120) as i64, 12),
                "details": {"kind": "custody", "custody_suite": "Elland Road", "arrested_at": ago((i % 120) as i64, 12),
                            "arrived_at": ago((i % 120) as i64, 11), "arrest_reason": "Suspected assault occasioning actual bodily harm",
                            "detention_authorised_by": "PS 12 Lowe", "rights_given_at": ago((i % 120) as i64, 11),
                            "appropriate_adult": if child { "Duty appropriate adult scheme" } else { "" },
                            "search": "routine", "released_at": ago((i % 120) as i64, 2), "release_outcome": "under_investigation"},
                "links": [link(*id, "detainee", "suspect")]
            })).await?;
        }
        if i % 11 == 4 {
            let handling = if i % 2 == 0 { "P" } else { "C" };
            let (evaluation, assessment) = (["A", "B", "C"][i % 3], ["1", "2", "3"][i % 3]);
            record::<Events>(state, &ctx, json!({
                "occurred_at": ago((i % 90) as i64, 1),
                "details": {"kind": "intelligence", "source_evaluation": evaluation,
                            "intelligence_assessment": assessment, "handling": handling,
                            "handling_conditions": if handling == "C" { "Not to be disseminated outside the force without the SIO's agreement" } else { "" },
                            "content": [{"nature": "fact", "text": format!("Subject seen driving a grey van near {} late at night", STREETS[i % STREETS.len()])},
                                        {"nature": "assessment", "text": "Likely to be moving stolen tools for resale"}],
                            "source_identity": format!("CHIS {} (handler DS Ferris)", 7000 + i)},
                "links": [link(*id, "subject_of_intelligence", "suspect")]
            })).await?;
        }
        if i % 13 == 6 {
            record::<Events>(state, &ctx, json!({
                "occurred_at": ago((i % 60) as i64, 4),
                "details": {"kind": "case_file", "file_status": "at_court", "court": "Leeds Magistrates' Court",
                            "first_hearing": (today + Duration::days(14)).to_string(),
                            "charges": [{"offence_code": "105/01", "wording": "On the date stated assaulted the victim occasioning actual bodily harm"}]},
                "links": [link(*id, "defendant", "suspect")]
            })).await?;
        }
        if i % 6 == 0 {
            let colours = ["Silver", "Black", "Blue", "Red", "White"];
            let (make, model) = (
                ["Ford", "Vauxhall", "Toyota", "BMW"][i % 4],
                ["Focus", "Corsa", "Yaris", "320d"][i % 4],
            );
            let vrm = format!(
                "YK{:02}{}",
                10 + i % 60,
                ["ABC", "DXF", "LMN", "RTU"][i % 4]
            );
            record::<Objects>(
                state,
                &ctx,
                json!({
                    "details": {"kind": "vehicle", "vrm": vrm, "make": make, "model": model,
                                "colour": colours[i % colours.len()]},
                    "links": [{"to": {"type": "person", "id": id}, "role": "keeper"}]
                }),
            )
            .await?;
        }
    }
    seed_due_reviews(state, &ctx, today).await
}

/// People whose records are due for review (MoPI): an old theft (group 3,
/// six clear years), an old assault (group 2, ten), and a grave matter
/// about someone who would now be 100 (group 1).
async fn seed_due_reviews(
    state: &AppState,
    ctx: &RequestContext,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let due = [
        (
            "Oldroyd",
            "Harold",
            "1958-03-14",
            2_600,
            "049/01",
            "Theft from a shop",
            "theft",
        ),
        (
            "Ramsbottom",
            "Edith",
            "1962-11-02",
            2_400,
            "046/01",
            "Theft of a pedal cycle",
            "theft",
        ),
        (
            "Sowerby",
            "Walter",
            "1970-06-21",
            2_300,
            "058/01",
            "Criminal damage to a fence",
            "damage",
        ),
        (
            "Ackroyd",
            "Norah",
            "1955-01-30",
            3_900,
            "105/01",
            "Assault with injury",
            "assault",
        ),
        (
            "Crabtree",
            "Arthur",
            "1949-09-09",
            4_100,
            "034/01",
            "Robbery of a post office",
            "robbery",
        ),
        (
            "Dewhirst",
            "Winifred",
            "1925-02-11",
            5_200,
            "019/07",
            "Rape",
            "grave",
        ),
    ];
    for (surname, forenames, dob, days_ago, code, what, _) in due {
        let input = PersonInput {
            surname: surname.into(),
            forenames: forenames.into(),
            date_of_birth: dob.into(),
            gender: if ["Edith", "Norah", "Winifred"].contains(&forenames) {
                Gender::Female
            } else {
                Gender::Male
            },
            details: Default::default(),
        };
        let valid = input
            .validate(today)
            .map_err(|e| anyhow::anyhow!("demo person: {e:?}"))?;
        let id = Uuid::new_v4();
        audit::run(state, ctx, |tx| {
            Box::pin(crate::people::store::create(tx, id, valid))
        })
        .await?;
        record::<Events>(state, ctx, json!({
            "occurred_at": ago(days_ago, 9),
            "details": {"kind": "occurrence", "offence_code": code, "classification": what, "status": "filed",
                        "officer_in_case": "DC 312", "narrative": "Filed after enquiries; no further action."},
            "links": [link(id, "suspect", "suspect")]
        }))
        .await?;
    }
    Ok(())
}
