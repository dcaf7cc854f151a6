//! An action that cannot be taken back (lifting a restriction, sending an
//! answer) asks twice: the first tap says what it will do, the second does
//! it. On a tablet a stray tap is easy; a second, deliberate one is not.

use leptos::prelude::*;

/// The button `testid`; its panel `{testid}-panel` with `{testid}-confirm`
/// and `{testid}-cancel`. `on_confirm` runs on the second tap.
#[component]
pub fn ConfirmTwice(
    /// The first button.
    label: &'static str,
    /// The panel's question, and what follows from it.
    question: &'static str,
    #[prop(into)] explain: String,
    /// The second button.
    confirm: &'static str,
    testid: &'static str,
    #[prop(into)] busy: Signal<bool>,
    #[prop(optional, into)] disabled: Option<Signal<bool>>,
    /// Drawn as a destructive action.
    #[prop(optional)]
    danger: bool,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let class = if danger {
        "button button-danger"
    } else {
        "button button-primary"
    };
    let explain = StoredValue::new(explain);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                view! {
                    <button
                        type="button"
                        class=class
                        data-testid=testid
                        disabled=move || busy.get() || disabled.is_some_and(|d| d.get())
                        on:click=move |_| asking.set(true)
                    >
                        {label}
                    </button>
                }
            }
        >
            <div class="banner banner-info confirm-panel" role="alert" data-testid=format!("{testid}-panel")>
                <p class="banner-title">{question}</p>
                <p>{explain.get_value()}</p>
                <div class="form-actions">
                    <button
                        type="button"
                        class=class
                        data-testid=format!("{testid}-confirm")
                        disabled=move || busy.get()
                        on:click=move |_| {
                            asking.set(false);
                            on_confirm.run(());
                        }
                    >
                        {confirm}
                    </button>
                    <button
                        type="button"
                        class="button"
                        data-testid=format!("{testid}-cancel")
                        on:click=move |_| asking.set(false)
                    >
                        "Not yet"
                    </button>
                </div>
            </div>
        </Show>
    }
}
