//! Every screen of the app and its address, in one place.

use crate::components::shell::{AppShell, RequireSignIn};
use crate::components::working_context::RequireContext;
use crate::pages::not_found::NotFound;
use crate::pages::people_list::PeopleList;
use crate::pages::person_form::{EditPerson, NewPerson};
use crate::pages::person_view::PersonView;
use crate::pages::sign_in::SignIn;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::restore());

    view! {
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/people" /> } />
                    <Route path=path!("/sign-in") view=SignIn />
                    // Consulting records needs a declared working context;
                    // recording a new person does not.
                    <Route
                        path=path!("/people")
                        view=|| view! { <RequireSignIn><RequireContext><PeopleList /></RequireContext></RequireSignIn> }
                    />
                    <Route
                        path=path!("/people/new")
                        view=|| view! { <RequireSignIn><NewPerson /></RequireSignIn> }
                    />
                    <Route
                        path=path!("/people/:id")
                        view=|| view! { <RequireSignIn><RequireContext><PersonView /></RequireContext></RequireSignIn> }
                    />
                    <Route
                        path=path!("/people/:id/edit")
                        view=|| view! { <RequireSignIn><RequireContext><EditPerson /></RequireContext></RequireSignIn> }
                    />
                </Routes>
            </AppShell>
        </Router>
    }
}
