//! Code lists from policing standards, used across record types.

use crate::code_list;

code_list!(
    /// Self-defined ethnicity: the 18+1 categories of the 2011 census, as
    /// used in stop and search recording. Older 16+1 (2001) codes arrive
    /// only through import and are kept as recorded: see [`LegacyEthnicity`].
    SelfDefinedEthnicity {
        W1 = ("W1", "White: English, Welsh, Scottish, Northern Irish or British"),
        W2 = ("W2", "White: Irish"),
        W3 = ("W3", "White: Gypsy or Irish Traveller"),
        W9 = ("W9", "White: any other White background"),
        M1 = ("M1", "Mixed: White and Black Caribbean"),
        M2 = ("M2", "Mixed: White and Black African"),
        M3 = ("M3", "Mixed: White and Asian"),
        M9 = ("M9", "Mixed: any other Mixed or multiple background"),
        A1 = ("A1", "Asian: Indian"),
        A2 = ("A2", "Asian: Pakistani"),
        A3 = ("A3", "Asian: Bangladeshi"),
        A4 = ("A4", "Asian: Chinese"),
        A9 = ("A9", "Asian: any other Asian background"),
        B1 = ("B1", "Black: Caribbean"),
        B2 = ("B2", "Black: African"),
        B9 = ("B9", "Black: any other Black background"),
        O1 = ("O1", "Other: Arab"),
        O9 = ("O9", "Other: any other ethnic group"),
        NotStated = ("NS", "Not stated"),
    }
);

code_list!(
    /// The 2001 census 16+1 codes, kept read-only on imported records. Note
    /// that O1 meant Chinese here, not Arab: never convert between them.
    LegacyEthnicity {
        W1 = ("2001:W1", "White: British (2001)"),
        W2 = ("2001:W2", "White: Irish (2001)"),
        W9 = ("2001:W9", "White: any other (2001)"),
        M1 = ("2001:M1", "Mixed: White and Black Caribbean (2001)"),
        M2 = ("2001:M2", "Mixed: White and Black African (2001)"),
        M3 = ("2001:M3", "Mixed: White and Asian (2001)"),
        M9 = ("2001:M9", "Mixed: any other (2001)"),
        A1 = ("2001:A1", "Asian: Indian (2001)"),
        A2 = ("2001:A2", "Asian: Pakistani (2001)"),
        A3 = ("2001:A3", "Asian: Bangladeshi (2001)"),
        A9 = ("2001:A9", "Asian: any other (2001)"),
        B1 = ("2001:B1", "Black: Caribbean (2001)"),
        B2 = ("2001:B2", "Black: African (2001)"),
        B9 = ("2001:B9", "Black: any other (2001)"),
        O1 = ("2001:O1", "Chinese (2001)"),
        O9 = ("2001:O9", "Any other ethnic group (2001)"),
        NotStated = ("2001:NS", "Not stated (2001)"),
    }
);

code_list!(
    /// Officer-observed ethnicity (the PNC identity codes).
    ObservedEthnicity {
        Ic1 = ("IC1", "White: North European"),
        Ic2 = ("IC2", "White: South European"),
        Ic3 = ("IC3", "Black"),
        Ic4 = ("IC4", "Asian"),
        Ic5 = ("IC5", "Chinese, Japanese or other South East Asian"),
        Ic6 = ("IC6", "Arab or North African"),
        Ic0 = ("IC0", "Not known"),
    }
);

code_list!(
    /// Sex of a person present at a search: searches need same-sex officers.
    Sex {
        Male = ("male", "Male"),
        Female = ("female", "Female"),
    }
);

code_list!(
    /// Place types, following the POLE location standard's short list.
    PlaceType {
        Dwelling = ("dwelling", "Dwelling"),
        Street = ("street", "Street or public road"),
        OpenSpace = ("open_space", "Park or open space"),
        Transport = ("transport", "Public transport"),
        LicensedPremises = ("licensed_premises", "Licensed premises"),
        Shop = ("shop", "Shop or commercial premises"),
        School = ("school", "School or college"),
        Hospital = ("hospital", "Hospital or health setting"),
        PoliceStation = ("police_station", "Police station"),
        CustodySuite = ("custody_suite", "Custody suite"),
        PoliceVehicle = ("police_vehicle", "Police vehicle"),
        OtherPrivatePlace = ("other_private_place", "Other private place out of public view"),
        Other = ("other", "Other"),
    }
);

impl PlaceType {
    /// Whether a search exposing intimate parts may happen here: a nearby
    /// station or other private place, never a vehicle or a public place
    /// (PACE Code A, Annex L / Code C, Annex A).
    pub const fn allows_intimate_exposure(self) -> bool {
        matches!(
            self,
            PlaceType::PoliceStation
                | PlaceType::CustodySuite
                | PlaceType::OtherPrivatePlace
                | PlaceType::Dwelling
        )
    }
}

code_list!(
    /// Police ranks, lowest first: the order is used to check authorisation.
    Rank {
        Constable = ("constable", "Constable"),
        Sergeant = ("sergeant", "Sergeant"),
        Inspector = ("inspector", "Inspector"),
        ChiefInspector = ("chief_inspector", "Chief Inspector"),
        Superintendent = ("superintendent", "Superintendent"),
        ChiefSuperintendent = ("chief_superintendent", "Chief Superintendent"),
    }
);
