//! The one island: with JavaScript on, enhanced forms (survey pages, report filters) go
//! through `fetch` and the new page's `<main>` replaces the old one, so moving between
//! pages or changing a filter needs no full reload. Without JavaScript the same forms
//! submit normally (post/redirect/get, or a plain GET); the server does all the work
//! either way, this only changes how the page is swapped.
//!
//! It also adds drag and drop to the survey builder's question lists
//! (`ol[data-reorder]`): dropping a question posts the same edit form a keyboard user
//! sends with the ↑/↓ buttons, as a "move to" edit.

use leptos::prelude::*;

/// Renders nothing visible; when hydrated, takes over `form[data-enhance]` submissions.
#[island]
pub fn FormEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        client::install();
        reorder::install();
    }
    view! { <span class="enhancer" hidden=true></span> }
}

#[cfg(feature = "hydrate")]
mod client {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{
        DomParser, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement, RequestInit,
        Response, SubmitEvent, SupportedType, UrlSearchParams,
    };

    pub fn install() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(|ev: SubmitEvent| {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            if !form.has_attribute("data-enhance") || form.has_attribute("data-busy") {
                if form.has_attribute("data-busy") {
                    // A second click while the first post is in flight: ignore it.
                    ev.prevent_default();
                }
                return;
            }
            ev.prevent_default();
            let submitter = ev
                .submitter()
                .and_then(|s| s.dyn_into::<HtmlButtonElement>().ok());
            spawn_local(async move {
                let _ = form.set_attribute("data-busy", "");
                if post(&form, submitter.as_ref()).await.is_err() {
                    // Network or parse failure: fall back to an ordinary form post.
                    let _ = form.remove_attribute("data-busy");
                    fallback_submit(&form, submitter.as_ref());
                }
            });
        });
        let _ =
            document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
        // Lets tests (and CSS) know the page is enhanced.
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-enhanced", "");
        }

        let on_popstate = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
            spawn_local(async {
                if navigate_to_current_location().await.is_err() {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
            });
        });
        if let Some(w) = web_sys::window() {
            let _ = w
                .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
        }
        on_popstate.forget();
    }

    async fn post(
        form: &HtmlFormElement,
        submitter: Option<&HtmlButtonElement>,
    ) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let data = FormData::new_with_form(form)?;
        if let Some(button) = submitter.filter(|b| !b.name().is_empty()) {
            data.append_with_str(&button.name(), &button.value())?;
        }
        let body = UrlSearchParams::new_with_str_sequence_sequence(&data)?;
        // GET forms (report filters) load the filtered page's URL; others post the form.
        let request = if form.method().eq_ignore_ascii_case("get") {
            let url = format!("{}?{}", form.action(), String::from(body.to_string()));
            window.fetch_with_str(&url)
        } else {
            let init = RequestInit::new();
            init.set_method("POST");
            init.set_body(&body);
            window.fetch_with_str_and_init(&form.action(), &init)
        };
        let response: Response = JsFuture::from(request).await?.dyn_into()?;
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .ok_or(JsValue::NULL)?;
        let url = response.url();
        let current = window.location().href()?;
        swap(&html)?;
        if url != current {
            window
                .history()?
                .push_state_with_url(&JsValue::NULL, "", Some(&url))?;
        }
        Ok(())
    }

    async fn navigate_to_current_location() -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let href = window.location().href()?;
        let response: Response = JsFuture::from(window.fetch_with_str(&href))
            .await?
            .dyn_into()?;
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .ok_or(JsValue::NULL)?;
        swap(&html)
    }

    /// Replaces `<main>`, the title and the language links with the new page's, then moves
    /// focus as a screen reader user expects: to the first error, else to the page heading.
    fn swap(html: &str) -> Result<(), JsValue> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(JsValue::NULL)?;
        let new_doc = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
        let (Some(old_main), Some(new_main)) = (
            document.get_element_by_id("main"),
            new_doc.get_element_by_id("main"),
        ) else {
            return Err(JsValue::NULL);
        };
        old_main.set_inner_html(&new_main.inner_html());
        document.set_title(&new_doc.title());
        if let (Some(old), Some(new)) = (
            document.get_element_by_id("site-header"),
            new_doc.get_element_by_id("site-header"),
        ) {
            old.set_inner_html(&new.inner_html());
        }
        if let (Some(old), Some(new)) = (document.document_element(), new_doc.document_element()) {
            if let Some(lang) = new.get_attribute("lang") {
                let _ = old.set_attribute("lang", &lang);
            }
        }
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
        let target = old_main
            .query_selector("[aria-invalid=\"true\"]")?
            .or(old_main.query_selector("h1, h2")?)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if let Some(el) = target {
            if el.tab_index() < 0 && !el.has_attribute("tabindex") {
                el.set_tab_index(-1);
            }
            let _ = el.focus();
        }
        Ok(())
    }

    fn fallback_submit(form: &HtmlFormElement, submitter: Option<&HtmlButtonElement>) {
        // `form.submit()` skips the clicked button's name/value: carry it in a hidden input.
        if let (Some(button), Some(document)) =
            (submitter, web_sys::window().and_then(|w| w.document()))
        {
            if let Ok(input) = document.create_element("input") {
                let _ = input.set_attribute("type", "hidden");
                let _ = input.set_attribute("name", &button.name());
                let _ = input.set_attribute("value", &button.value());
                let _ = form.append_child(&input);
            }
        }
        let _ = form.submit();
    }
}

#[cfg(feature = "hydrate")]
mod reorder {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DragEvent, Element, HtmlFormElement};

    thread_local! {
        /// The key of the question being dragged.
        static DRAGGING: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    fn closest(ev: &DragEvent, selector: &str) -> Option<Element> {
        ev.target()?
            .dyn_into::<Element>()
            .ok()?
            .closest(selector)
            .ok()
            .flatten()
    }

    pub fn install() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let on_start = Closure::<dyn FnMut(DragEvent)>::new(|ev: DragEvent| {
            if let Some(item) = closest(&ev, "li[data-drag-key]") {
                let key = item.get_attribute("data-drag-key");
                if let (Some(dt), Some(k)) = (ev.data_transfer(), key.as_deref()) {
                    let _ = dt.set_data("text/plain", k);
                }
                DRAGGING.with(|d| *d.borrow_mut() = key);
            }
        });
        // Dropping is allowed over a question list while a question is dragged.
        let on_over = Closure::<dyn FnMut(DragEvent)>::new(|ev: DragEvent| {
            let dragging = DRAGGING.with(|d| d.borrow().is_some());
            if dragging && closest(&ev, "ol[data-reorder]").is_some() {
                ev.prevent_default();
            }
        });
        let on_drop = Closure::<dyn FnMut(DragEvent)>::new(|ev: DragEvent| {
            let Some(key) = DRAGGING.with(|d| d.borrow_mut().take()) else {
                return;
            };
            let Some(list) = closest(&ev, "ol[data-reorder]") else {
                return;
            };
            ev.prevent_default();
            // Onto a question: take its place; onto the list's free space: go last.
            let index = closest(&ev, "li[data-drag-key]")
                .and_then(|li| li.get_attribute("data-index"))
                .unwrap_or_else(|| list.child_element_count().to_string());
            let (Some(action), Some(page)) = (
                list.get_attribute("data-reorder"),
                list.get_attribute("data-page"),
            ) else {
                return;
            };
            let _ = submit_move(&action, &key, &page, &index);
        });
        let on_end = Closure::<dyn FnMut(DragEvent)>::new(|_: DragEvent| {
            DRAGGING.with(|d| *d.borrow_mut() = None);
        });
        for (name, handler) in [
            ("dragstart", &on_start),
            ("dragover", &on_over),
            ("drop", &on_drop),
            ("dragend", &on_end),
        ] {
            let _ =
                document.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        }
        on_start.forget();
        on_over.forget();
        on_drop.forget();
        on_end.forget();
    }

    /// Posts the builder's "move to" edit as an ordinary form (the server redirects back to
    /// the moved question).
    fn submit_move(action: &str, key: &str, page: &str, index: &str) -> Result<(), JsValue> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(JsValue::NULL)?;
        let form: HtmlFormElement = document.create_element("form")?.dyn_into()?;
        form.set_method("post");
        form.set_action(action);
        for (name, value) in [
            ("op", "move_to"),
            ("key", key),
            ("page", page),
            ("index", index),
        ] {
            let input = document.create_element("input")?;
            input.set_attribute("type", "hidden")?;
            input.set_attribute("name", name)?;
            input.set_attribute("value", value)?;
            form.append_child(&input)?;
        }
        document.body().ok_or(JsValue::NULL)?.append_child(&form)?;
        form.submit()
    }
}
