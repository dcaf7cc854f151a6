//! Stop and search, including more thorough searches and searches exposing
//! intimate parts (EIP). The failure we design against: a force could not
//! say where a fifth of its strip searches of children took place, because
//! nothing made officers record it. Here the record cannot be saved without
//! it (REQUIREMENTS §7).

use super::RuleContext;
use crate::code_list;
use crate::codes_police::{PlaceType, Rank, SelfDefinedEthnicity, Sex};
use crate::people::details::parse_postcode;
use crate::rules::{Checker, age_on};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

code_list!(
    SearchType {
        Standard = ("standard", "Outer clothing only"),
        MoreThorough = ("more_thorough", "More thorough search"),
        IntimateExposure = ("intimate_exposure", "Search exposing intimate parts (strip search)"),
    }
);

code_list!(
    LegalPower {
        PaceS1 = ("pace_s1", "PACE 1984 s.1"),
        MisuseOfDrugsS23 = ("misuse_of_drugs_s23", "Misuse of Drugs Act 1971 s.23"),
        FirearmsS47 = ("firearms_s47", "Firearms Act 1968 s.47"),
        CjpoaS60 = ("cjpoa_s60", "CJPOA 1994 s.60"),
        TerrorismS43 = ("terrorism_s43", "Terrorism Act 2000 s.43"),
        Other = ("other", "Other power"),
    }
);

code_list!(
    ObjectOfSearch {
        Drugs = ("drugs", "Controlled drugs"),
        StolenProperty = ("stolen_property", "Stolen property"),
        OffensiveWeapon = ("offensive_weapon", "Offensive weapon or bladed article"),
        Firearm = ("firearm", "Firearm"),
        GoingEquipped = ("going_equipped", "Going equipped"),
        CriminalDamage = ("criminal_damage", "Articles for criminal damage"),
        Terrorism = ("terrorism", "Terrorism"),
        Other = ("other", "Other"),
    }
);

code_list!(
    SearchOutcome {
        NoFurtherAction = ("no_further_action", "Nothing found: no further action"),
        Arrest = ("arrest", "Arrest"),
        Summons = ("summons", "Summons"),
        PenaltyNotice = ("penalty_notice", "Penalty notice"),
        CannabisWarning = ("cannabis_warning", "Cannabis or khat warning"),
        CommunityResolution = ("community_resolution", "Community resolution"),
        Caution = ("caution", "Caution"),
        Other = ("other", "Other outcome"),
    }
);

code_list!(
    /// Why a child was searched without the appropriate adult present.
    AdultAbsenceGround {
        Urgent = ("urgent", "Urgent: risk of serious harm"),
        ChildRequested = ("child_requested", "The child asked, in the adult's presence, and the adult agreed"),
    }
);

/// Someone present at a search besides the person searched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonPresent {
    /// Collar number or name.
    pub identity: String,
    pub sex: Option<Sex>,
}

/// A stop and search record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct StopSearch {
    pub search_type: Option<SearchType>,
    pub legal_power: Option<LegalPower>,
    /// Why the officer suspected they would find the object.
    pub grounds: String,
    pub object_of_search: Option<ObjectOfSearch>,
    /// `YYYY-MM-DD` of the person searched; whether they are a child is
    /// derived from it, never ticked by hand.
    pub subject_date_of_birth: String,
    pub subject_sex: Option<Sex>,
    /// The person's own answer (18+1), or `NS` if they would not say.
    pub self_defined_ethnicity: Option<SelfDefinedEthnicity>,
    pub place_type: Option<PlaceType>,
    pub address: String,
    pub postcode: String,
    /// Officers present, with their sex.
    pub officers_present: Vec<PersonPresent>,
    pub authorising_officer: String,
    pub authorising_rank: Option<Rank>,
    /// Name and organisation or relationship of the appropriate adult.
    pub appropriate_adult: String,
    pub adult_absence_ground: Option<AdultAbsenceGround>,
    pub adult_absence_reason: String,
    /// When a parent or guardian was told (children, EIP).
    pub parent_notified_at: String,
    pub outcome: Option<SearchOutcome>,
    pub outcome_detail: String,
    pub safeguarding_referral: bool,
}

impl StopSearch {
    pub fn summary_line(&self) -> String {
        let what = self.search_type.map(|t| t.label()).unwrap_or("Search");
        let outcome = self
            .outcome
            .map(|o| o.label())
            .unwrap_or("outcome not recorded");
        format!("{what}: {outcome}")
    }

    /// Whether the person searched was under 18 when searched.
    pub fn is_child(&self, at: DateTime<Utc>) -> bool {
        chrono::NaiveDate::parse_from_str(self.subject_date_of_birth.trim(), "%Y-%m-%d")
            .is_ok_and(|dob| age_on(dob, at.date_naive()) < 18)
    }

    pub fn clean(
        &self,
        c: &mut Checker,
        ctx: &RuleContext,
        at: Option<DateTime<Utc>>,
    ) -> StopSearch {
        let at = at.unwrap_or(ctx.now);
        let p = |f: &str| format!("details.{f}");
        let mut out = self.clone();
        c.required(&p("search_type"), self.search_type, "the type of search");
        c.required(&p("legal_power"), self.legal_power, "the legal power used");
        out.grounds = c.text(
            &p("grounds"),
            &self.grounds,
            10,
            2000,
            "the grounds for the search",
        );
        c.required(
            &p("object_of_search"),
            self.object_of_search,
            "what was searched for",
        );
        c.required(
            &p("self_defined_ethnicity"),
            self.self_defined_ethnicity,
            "the person's self-defined ethnicity (or Not stated)",
        );
        c.required(&p("outcome"), self.outcome, "the outcome");
        out.outcome_detail = c.text(&p("outcome_detail"), &self.outcome_detail, 0, 1000, "");
        c.required(&p("place_type"), self.place_type, "the type of place");
        out.address = c.text(
            &p("address"),
            &self.address,
            3,
            300,
            "where the search took place",
        );
        if !self.postcode.trim().is_empty() {
            match parse_postcode(&self.postcode) {
                Some(pc) => out.postcode = pc,
                None => c.fail(
                    &p("postcode"),
                    "format",
                    "Enter a UK postcode such as LS1 4AP",
                ),
            }
        }
        let thorough = matches!(
            self.search_type,
            Some(SearchType::MoreThorough | SearchType::IntimateExposure)
        );
        let intimate = self.search_type == Some(SearchType::IntimateExposure);
        let (dob, dob_date) = c.date(
            &p("subject_date_of_birth"),
            &self.subject_date_of_birth,
            thorough,
        );
        out.subject_date_of_birth = dob;
        if let Some(d) = dob_date
            && d > at.date_naive()
        {
            c.fail(
                &p("subject_date_of_birth"),
                "in_future",
                "A date of birth cannot be after the search",
            );
        }
        let child = dob_date.is_some_and(|d| age_on(d, at.date_naive()) < 18);
        if thorough {
            c.required(
                &p("subject_sex"),
                self.subject_sex,
                "the sex of the person searched",
            );
        }
        self.check_people_present(c, &mut out, thorough, intimate, child);
        if intimate {
            self.check_intimate(c, &mut out, ctx, child, at);
        } else {
            // Not required, but still checked when given.
            out.authorising_officer = c.text(
                &p("authorising_officer"),
                &self.authorising_officer,
                0,
                100,
                "",
            );
            out.parent_notified_at = c
                .datetime(
                    &p("parent_notified_at"),
                    &self.parent_notified_at,
                    false,
                    ctx.now,
                )
                .0;
        }
        out
    }

    fn check_people_present(
        &self,
        c: &mut Checker,
        out: &mut StopSearch,
        thorough: bool,
        intimate: bool,
        child: bool,
    ) {
        let p = |f: &str| format!("details.{f}");
        if thorough && self.officers_present.is_empty() {
            c.fail(
                &p("officers_present"),
                "required",
                "List the officers present and their sex",
            );
        }
        out.officers_present.clear();
        for (i, o) in self.officers_present.iter().enumerate() {
            let identity = c.text(
                &p(&format!("officers_present[{i}].identity")),
                &o.identity,
                1,
                100,
                "the officer's collar number or name",
            );
            if thorough {
                match (o.sex, self.subject_sex) {
                    (None, _) => c.fail(
                        &p(&format!("officers_present[{i}].sex")),
                        "required",
                        "Record the officer's sex",
                    ),
                    (Some(officer), Some(subject)) if officer != subject => c.fail(
                        &p(&format!("officers_present[{i}].sex")),
                        "not_same_sex",
                        "A more thorough search must be made by officers of the same sex",
                    ),
                    _ => {}
                }
            }
            out.officers_present.push(PersonPresent {
                identity,
                sex: o.sex,
            });
        }
        out.appropriate_adult =
            c.text(&p("appropriate_adult"), &self.appropriate_adult, 0, 200, "");
        out.adult_absence_reason = c.text(
            &p("adult_absence_reason"),
            &self.adult_absence_reason,
            0,
            1000,
            "",
        );
        if intimate && child {
            let adult_present = !out.appropriate_adult.is_empty();
            match (adult_present, self.adult_absence_ground) {
                (true, Some(_)) => c.fail(&p("adult_absence_ground"), "conflict", "Either the appropriate adult was present or there is an exception, not both"),
                (false, None) => c.fail(&p("appropriate_adult"), "required_for_child", "A child's search exposing intimate parts needs the appropriate adult present (name and organisation), or an exception with its reason"),
                (false, Some(_)) if out.adult_absence_reason.chars().count() < 10 => {
                    c.fail(&p("adult_absence_reason"), "required", "Explain why the appropriate adult was not present")
                }
                _ => {}
            }
        }
        // Two people besides the person searched; for a child one of them is
        // the appropriate adult unless an exception applies.
        if intimate {
            let adult = usize::from(!out.appropriate_adult.is_empty());
            if self.officers_present.len() + adult < 2 {
                c.fail(
                    &p("officers_present"),
                    "too_few_present",
                    "Two people besides the person searched must be present",
                );
            }
        }
    }

    fn check_intimate(
        &self,
        c: &mut Checker,
        out: &mut StopSearch,
        ctx: &RuleContext,
        child: bool,
        at: DateTime<Utc>,
    ) {
        let p = |f: &str| format!("details.{f}");
        if let Some(place) = self.place_type
            && !place.allows_intimate_exposure()
        {
            let message = if place == PlaceType::PoliceVehicle {
                "A search exposing intimate parts may never take place in a police vehicle"
            } else {
                "A search exposing intimate parts must be at a station or other private place out of public view"
            };
            c.fail(
                &p("place_type"),
                "not_permitted_for_intimate_search",
                message,
            );
        }
        out.authorising_officer = c.text(
            &p("authorising_officer"),
            &self.authorising_officer,
            1,
            100,
            "the authorising officer",
        );
        let needed = if child {
            ctx.policy.child_intimate_exposure_rank
        } else {
            ctx.policy.intimate_exposure_rank
        };
        match self.authorising_rank {
            None => c.fail(
                &p("authorising_rank"),
                "required",
                "Choose the authorising officer's rank",
            ),
            Some(rank) if rank < needed => c.fail(
                &p("authorising_rank"),
                "rank_too_low",
                format!(
                    "This search must be authorised by a {} or above",
                    needed.label().to_lowercase()
                ),
            ),
            _ => {}
        }
        if child && ctx.policy.notify_parent_of_child {
            let (when, _) = c.datetime(
                &p("parent_notified_at"),
                &self.parent_notified_at,
                true,
                ctx.now,
            );
            out.parent_notified_at = when;
        } else {
            let (when, _) = c.datetime(
                &p("parent_notified_at"),
                &self.parent_notified_at,
                false,
                ctx.now,
            );
            out.parent_notified_at = when;
        }
        let _ = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_datetime;

    fn ctx() -> RuleContext {
        RuleContext::new(
            parse_datetime("2026-11-27T12:00:00Z").unwrap(),
            super::super::SearchPolicy::default(),
        )
    }

    /// A complete strip search of a 15-year-old.
    pub fn complete_child_strip_search() -> StopSearch {
        StopSearch {
            search_type: Some(SearchType::IntimateExposure),
            legal_power: Some(LegalPower::MisuseOfDrugsS23),
            grounds: "Seen passing small wraps to others outside the school gates".into(),
            object_of_search: Some(ObjectOfSearch::Drugs),
            subject_date_of_birth: "2011-03-02".into(),
            subject_sex: Some(Sex::Male),
            self_defined_ethnicity: Some(SelfDefinedEthnicity::NotStated),
            place_type: Some(PlaceType::PoliceStation),
            address: "Millgarth Police Station, Leeds".into(),
            postcode: "ls2 7hx".into(),
            officers_present: vec![PersonPresent {
                identity: "PC 1234".into(),
                sex: Some(Sex::Male),
            }],
            authorising_officer: "Insp 77 Patel".into(),
            authorising_rank: Some(Rank::Inspector),
            appropriate_adult: "J. Brown, Leeds Youth Offending Service".into(),
            parent_notified_at: "2026-11-27T10:45".into(),
            outcome: Some(SearchOutcome::NoFurtherAction),
            ..Default::default()
        }
    }

    fn fields(s: &StopSearch) -> Vec<String> {
        let mut c = Checker::default();
        s.clean(&mut c, &ctx(), parse_datetime("2026-11-27T10:30:00Z"));
        c.errors
            .0
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect()
    }

    #[test]
    fn a_complete_strip_search_of_a_child_passes() {
        assert_eq!(fields(&complete_child_strip_search()), Vec::<String>::new());
    }

    #[test]
    fn a_child_strip_search_without_place_or_appropriate_adult_is_refused_field_by_field() {
        let mut s = complete_child_strip_search();
        s.place_type = None;
        s.address = String::new();
        s.appropriate_adult = String::new();
        let f = fields(&s);
        assert!(f.contains(&"details.place_type:required".into()), "{f:?}");
        assert!(f.contains(&"details.address:required".into()), "{f:?}");
        assert!(
            f.contains(&"details.appropriate_adult:required_for_child".into()),
            "{f:?}"
        );
        assert!(
            f.contains(&"details.officers_present:too_few_present".into()),
            "{f:?}"
        );
    }

    #[test]
    fn a_police_vehicle_is_never_a_place_for_a_strip_search() {
        let mut s = complete_child_strip_search();
        s.place_type = Some(PlaceType::PoliceVehicle);
        assert_eq!(
            fields(&s),
            ["details.place_type:not_permitted_for_intimate_search"]
        );
    }

    #[test]
    fn a_sergeant_may_not_authorise_a_childs_strip_search_by_default() {
        let mut s = complete_child_strip_search();
        s.authorising_rank = Some(Rank::Sergeant);
        assert_eq!(fields(&s), ["details.authorising_rank:rank_too_low"]);
        // An adult: a sergeant suffices, and no appropriate adult or parent.
        s.subject_date_of_birth = "1990-01-01".into();
        s.appropriate_adult = String::new();
        s.parent_notified_at = String::new();
        s.officers_present.push(PersonPresent {
            identity: "PC 99".into(),
            sex: Some(Sex::Male),
        });
        assert_eq!(fields(&s), Vec::<String>::new());
    }

    #[test]
    fn an_exception_needs_its_reason_and_parent_notification_is_required() {
        let mut s = complete_child_strip_search();
        s.appropriate_adult = String::new();
        s.adult_absence_ground = Some(AdultAbsenceGround::Urgent);
        s.officers_present.push(PersonPresent {
            identity: "PC 2".into(),
            sex: Some(Sex::Male),
        });
        s.parent_notified_at = String::new();
        let f = fields(&s);
        assert_eq!(
            f,
            [
                "details.adult_absence_reason:required",
                "details.parent_notified_at:required"
            ]
        );
    }

    #[test]
    fn officers_of_the_other_sex_may_not_make_a_thorough_search() {
        let mut s = complete_child_strip_search();
        s.officers_present[0].sex = Some(Sex::Female);
        assert_eq!(fields(&s), ["details.officers_present[0].sex:not_same_sex"]);
    }
}
