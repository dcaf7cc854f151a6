//! "Restrictions and holds", for the data protection officer, who alone
//! decides restriction (DPA 2018 s.47(2)): every restricted record with
//! its reason and review date, to lift when it should end; and legal
//! holds, which keep an item through an erasure (restricted instead).

mod holds;
mod list;

use holds::Holds;
use leptos::prelude::*;
use list::RestrictionList;

#[component]
pub fn RestrictionsAndHolds() -> impl IntoView {
    view! {
        <section class="restrictions" data-testid="restrictions-page">
            <div class="page-heading">
                <h1>"Restrictions and holds"</h1>
            </div>
            <p class="form-intro">
                "A restricted record is kept but out of ordinary processing: only you see it. A legal hold keeps a record through an erasure: it is restricted instead."
            </p>
            <RestrictionList />
            <Holds />
        </section>
    }
}
