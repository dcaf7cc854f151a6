//! Probity's browser app: mounts the router on the page.

mod api;
mod app;
mod components;
mod pages;
mod session;
mod text;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
