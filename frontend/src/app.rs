//! Every screen of the app and its address, in one place.

use crate::components::shell::{AppShell, RequirePermission, RequireSignIn};
use crate::components::working_context::RequireContext;
use crate::pages::audit::AuditLog;
use crate::pages::events::{EditEvent, EventList, EventView, NewEvent};
use crate::pages::locations::{EditLocation, LocationView, LocationsList, NewLocation};
use crate::pages::not_found::NotFound;
use crate::pages::objects::{EditObject, NewObject, ObjectView, ObjectsList};
use crate::pages::people_list::PeopleList;
use crate::pages::person_form::{EditPerson, NewPerson};
use crate::pages::person_view::PersonView;
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

#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::restore());
    // Outlives the search screen, so going back from a hit finds the search.
    provide_context(SearchDraft::new());

    view! {
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignIn />
                    // Consulting records needs a declared working context;
                    // recording a new person does not.
                    <Route
                        path=path!("/people")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::PersonList>
                                        <RequireContext>
                                            <PeopleList />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    // Search is a consultation like the lists: it needs a
                    // working context. The records tab asks for record.list
                    // itself.
                    <Route
                        path=path!("/search")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::PersonList>
                                        <RequireContext>
                                            <Search />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/people/new")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::PersonCreate>
                                        <RequireContext>
                                            <NewPerson />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/people/:id")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::PersonRead>
                                        <RequireContext>
                                            <PersonView />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/people/:id/edit")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::PersonUpdate>
                                        <RequireContext>
                                            <EditPerson />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    // Events: recording, listing and reading them all need a
                    // working context: a write states why as a read does.
                    <Route
                        path=path!("/events")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordList>
                                        <RequireContext>
                                            <EventList />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/events/new")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordCreate>
                                        <RequireContext>
                                            <NewEvent />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/events/:id")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordRead>
                                        <RequireContext>
                                            <EventView />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/events/:id/edit")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordUpdate>
                                        <RequireContext>
                                            <EditEvent />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    // Objects and locations: every use needs a working context.
                    <Route
                        path=path!("/objects")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordList>
                                        <RequireContext>
                                            <ObjectsList />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/objects/new")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordCreate>
                                        <RequireContext>
                                            <NewObject />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/objects/:id")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordRead>
                                        <RequireContext>
                                            <ObjectView />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/objects/:id/edit")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordUpdate>
                                        <RequireContext>
                                            <EditObject />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/locations")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordList>
                                        <RequireContext>
                                            <LocationsList />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/locations/new")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordCreate>
                                        <RequireContext>
                                            <NewLocation />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/locations/:id")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordRead>
                                        <RequireContext>
                                            <LocationView />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/locations/:id/edit")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RecordUpdate>
                                        <RequireContext>
                                            <EditLocation />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    // The audit log: auditors and data protection officers,
                    // who declare a working context (purpose audit) too.
                    <Route
                        path=path!("/audit")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::AuditRead>
                                        <RequireContext>
                                            <AuditLog />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    // Rights requests: the data protection officer answers
                    // them, auditors read them. A case holds personal data,
                    // so every screen needs a working context (usually
                    // purpose subject access).
                    <Route
                        path=path!("/rights")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RightsRead>
                                        <RequireContext>
                                            <RightsRequests />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/rights/new")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RightsManage>
                                        <RequireContext>
                                            <NewRightsRequest />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/rights/:id")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RightsRead>
                                        <RequireContext>
                                            <RightsRequestPage />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                    <Route
                        path=path!("/rights/:id/preview")
                        view=|| {
                            view! {
                                <RequireSignIn>
                                    <RequirePermission permission=Permission::RightsRead>
                                        <RequireContext>
                                            <ResponsePreview />
                                        </RequireContext>
                                    </RequirePermission>
                                </RequireSignIn>
                            }
                        }
                    />
                </Routes>
            </AppShell>
        </Router>
    }
}
