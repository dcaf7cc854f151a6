//! The frame around every signed-in screen: header, navigation and the
//! working context; and the guard that sends signed-out users to sign-in.

use crate::api;
use crate::components::working_context::{ContextBar, WorkingContextForm};
use crate::session::{home_path, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};
use shared::auth::Me;
use shared::permissions::Permission;

fn roles_label(me: &Me) -> String {
    me.roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.is_signed_in()>
            <Header />
        </Show>
        <Show when=move || session.is_signed_in() && session.is_editing_context()>
            <div class="context-panel">
                <WorkingContextForm cancellable=true />
            </div>
        </Show>
        <main class="app-main">{children()}</main>
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let pathname = use_location().pathname;
    let current = move |on: fn(&str) -> bool| move || pathname.with(|p| on(p)).then_some("page");
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            api::sign_out(session).await;
            navigate("/sign-in", Default::default());
        });
    };
    view! {
        <header class="app-header" data-testid="app-header">
            <div class="header-row">
                <a class="brand" href=move || home_path(session.user().as_ref())>
                    "Probity"
                </a>
                <div class="who" data-testid="current-user">
                    {move || {
                        session
                            .user()
                            .map(|me| {
                                view! {
                                    <span class="who-name">{me.display_name.clone()}</span>
                                    <span class="who-role" data-testid="current-role">{roles_label(&me)}</span>
                                }
                            })
                    }}
                </div>
                <button type="button" class="button button-small" data-testid="sign-out" on:click=sign_out>
                    "Sign out"
                </button>
            </div>
            <div class="header-row header-row-second">
                <nav class="app-nav" aria-label="Main" data-testid="main-nav">
                    // Only what the user's roles allow: an auditor sees no records.
                    // Search first: it is how an officer usually starts.
                    <Show when=move || session.can(Permission::PersonList)>
                        <a href="/search" data-testid="nav-search" aria-current=current(|p| p == "/search")>
                            "Search"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::PersonList)>
                        <a
                            href="/people"
                            data-testid="nav-people"
                            aria-current=current(|p| p.starts_with("/people") && p != "/people/new")
                        >
                            "People"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::PersonCreate)>
                        <a href="/people/new" data-testid="nav-new-person" aria-current=current(|p| p == "/people/new")>
                            "New person"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RecordList)>
                        <a href="/events" data-testid="nav-events" aria-current=current(|p| p.starts_with("/events"))>
                            "Events"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RecordList)>
                        <a href="/objects" data-testid="nav-objects" aria-current=current(|p| p.starts_with("/objects"))>
                            "Objects"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RecordList)>
                        <a
                            href="/locations"
                            data-testid="nav-locations"
                            aria-current=current(|p| p.starts_with("/locations"))
                        >
                            "Locations"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::AuditRead)>
                        <a href="/audit" data-testid="nav-audit" aria-current=current(|p| p.starts_with("/audit"))>
                            "Audit"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RightsRead)>
                        <a href="/rights" data-testid="nav-rights" aria-current=current(|p| p.starts_with("/rights"))>
                            "Rights requests"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RecordRestrict)>
                        <a
                            href="/restrictions"
                            data-testid="nav-restrictions"
                            aria-current=current(|p| p.starts_with("/restrictions"))
                        >
                            "Restrictions and holds"
                        </a>
                    </Show>
                    <Show when=move || session.can(Permission::RetentionReview)>
                        <a href="/retention" data-testid="nav-retention" aria-current=current(|p| p.starts_with("/retention"))>
                            "Reviews due"
                        </a>
                    </Show>
                </nav>
                <ContextBar />
            </div>
        </header>
    }
}

/// Shows its children to a signed-in user; anyone else goes to sign-in.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.is_signed_in() fallback=|| view! { <Redirect path="/sign-in" /> }>
            {children()}
        </Show>
    }
}

/// Shows its children to a user whose roles grant `permission`; anyone else
/// is told so, without a request the server would refuse anyway.
#[component]
pub fn RequirePermission(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    view! {
        <Show
            when=move || session.can(permission)
            fallback=move || {
                view! {
                    <section class="card" data-testid="not-permitted">
                        <h1>"Not available to your role"</h1>
                        <p>"Your role does not permit this. Ask your supervisor if you need it."</p>
                        <a class="button" href=move || home_path(session.user().as_ref())>
                            "Go to your start page"
                        </a>
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}
