//! Every screen of the app and its address, in one place.

use crate::components::shell::{AppShell, RequirePermission, RequireSignIn};
use crate::components::working_context::RequireContext;
use crate::pages::audit::AuditLog;
use crate::pages::erasure::{CertificatePage, ErasurePlanPage};
use crate::pages::events::{EditEvent, EventList, EventView, NewEvent};
use crate::pages::locations::{EditLocation, LocationView, LocationsList, NewLocation};
use crate::pages::not_found::NotFound;
use crate::pages::objects::{EditObject, NewObject, ObjectView, ObjectsList};
use crate::pages::people_list::PeopleList;
use crate::pages::person_form::{EditPerson, NewPerson};
use crate::pages::person_view::PersonView;
use crate::pages::restrictions::RestrictionsAndHolds;
use crate::pages::retention::{ReviewPage, ReviewsDue};
use crate::pages::rights::{NewRightsRequest, ResponsePreview, RightsRequestPage, RightsRequests};
use crate::pages::search::{Search, SearchDraft};
use crate::pages::sign_in::SignIn;
use crate::session::{Session, home_path, use_session};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use shared::permissions::Permission;

/// The start page, which depends on what the user may do.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    view! { <Redirect path=home_path(session.user().as_ref()) /> }
}

/// Every screen but sign-in: signed in, permitted by `permission`, and,
/// since each reads or writes personal data or the log, under a declared
/// working context (a write states why as a read does).
#[component]
fn Guarded(permission: Permission, children: ChildrenFn) -> impl IntoView {
    // Each guard re-renders what it holds, so the page is built anew each time.
    let children = StoredValue::new(children);
    view! {
        <RequireSignIn>
            <RequirePermission permission>
                <RequireContext>{children.with_value(|page| page())}</RequireContext>
            </RequirePermission>
        </RequireSignIn>
    }
}

#[component]
pub fn App() -> impl IntoView {
    use Permission as P;
    provide_context(Session::restore());
    // Outlives the search screen, so going back from a hit finds the search.
    provide_context(SearchDraft::new());

    view! {
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignIn />
                    // People. Search is a consultation like the lists.
                    <Route path=path!("/people") view=|| view! { <Guarded permission=P::PersonList><PeopleList /></Guarded> } />
                    <Route path=path!("/search") view=|| view! { <Guarded permission=P::PersonList><Search /></Guarded> } />
                    <Route path=path!("/people/new") view=|| view! { <Guarded permission=P::PersonCreate><NewPerson /></Guarded> } />
                    <Route path=path!("/people/:id") view=|| view! { <Guarded permission=P::PersonRead><PersonView /></Guarded> } />
                    <Route path=path!("/people/:id/edit") view=|| view! { <Guarded permission=P::PersonUpdate><EditPerson /></Guarded> } />
                    // Events, objects and locations.
                    <Route path=path!("/events") view=|| view! { <Guarded permission=P::RecordList><EventList /></Guarded> } />
                    <Route path=path!("/events/new") view=|| view! { <Guarded permission=P::RecordCreate><NewEvent /></Guarded> } />
                    <Route path=path!("/events/:id") view=|| view! { <Guarded permission=P::RecordRead><EventView /></Guarded> } />
                    <Route path=path!("/events/:id/edit") view=|| view! { <Guarded permission=P::RecordUpdate><EditEvent /></Guarded> } />
                    <Route path=path!("/objects") view=|| view! { <Guarded permission=P::RecordList><ObjectsList /></Guarded> } />
                    <Route path=path!("/objects/new") view=|| view! { <Guarded permission=P::RecordCreate><NewObject /></Guarded> } />
                    <Route path=path!("/objects/:id") view=|| view! { <Guarded permission=P::RecordRead><ObjectView /></Guarded> } />
                    <Route path=path!("/objects/:id/edit") view=|| view! { <Guarded permission=P::RecordUpdate><EditObject /></Guarded> } />
                    <Route path=path!("/locations") view=|| view! { <Guarded permission=P::RecordList><LocationsList /></Guarded> } />
                    <Route path=path!("/locations/new") view=|| view! { <Guarded permission=P::RecordCreate><NewLocation /></Guarded> } />
                    <Route path=path!("/locations/:id") view=|| view! { <Guarded permission=P::RecordRead><LocationView /></Guarded> } />
                    <Route path=path!("/locations/:id/edit") view=|| view! { <Guarded permission=P::RecordUpdate><EditLocation /></Guarded> } />
                    // The audit log: auditors and data protection officers
                    // (who declare a context with purpose audit too).
                    <Route path=path!("/audit") view=|| view! { <Guarded permission=P::AuditRead><AuditLog /></Guarded> } />
                    // Rights requests: the data protection officer answers
                    // them, auditors read them.
                    <Route path=path!("/rights") view=|| view! { <Guarded permission=P::RightsRead><RightsRequests /></Guarded> } />
                    <Route path=path!("/rights/new") view=|| view! { <Guarded permission=P::RightsManage><NewRightsRequest /></Guarded> } />
                    <Route path=path!("/rights/:id") view=|| view! { <Guarded permission=P::RightsRead><RightsRequestPage /></Guarded> } />
                    <Route path=path!("/rights/:id/preview") view=|| view! { <Guarded permission=P::RightsRead><ResponsePreview /></Guarded> } />
                    // Erasure (s.47): the plan holds the person's data until
                    // it runs, so only those who erase read it; certificates
                    // hold ids and counts, for anyone who reads rights cases.
                    <Route path=path!("/rights/:id/erasure/:plan") view=|| view! { <Guarded permission=P::PersonErase><ErasurePlanPage /></Guarded> } />
                    <Route path=path!("/erasure-certificates/:id") view=|| view! { <Guarded permission=P::RightsRead><CertificatePage /></Guarded> } />
                    // Restriction and legal holds (s.47(2)).
                    <Route path=path!("/restrictions") view=|| view! { <Guarded permission=P::RecordRestrict><RestrictionsAndHolds /></Guarded> } />
                    // Review, retention and disposal (MoPI).
                    <Route path=path!("/retention") view=|| view! { <Guarded permission=P::RetentionReview><ReviewsDue /></Guarded> } />
                    <Route path=path!("/retention/:person") view=|| view! { <Guarded permission=P::RetentionReview><ReviewPage /></Guarded> } />
                </Routes>
            </AppShell>
        </Router>
    }
}
