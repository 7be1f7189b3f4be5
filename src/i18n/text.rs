//! Looking up messages. The Fluent files are compiled into the server
//! binary; the browser build has no translations (islands get theirs as
//! props), so there a lookup returns the key itself.

use super::Locale;

/// A message argument: text, or a number (which also picks plural forms).
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(usize, u64, u32, u16, i64, i32);

/// The current request's locale: the one the page shell chose, else read
/// from the request, else English (outside a request, and in the browser).
pub fn locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(l) = use_context::<Locale>() {
            return l;
        }
        if let Ok(l) = ssr::LOCALE.try_with(|l| *l) {
            return l;
        }
        use_context::<axum::http::request::Parts>()
            .map(|p| ssr::from_headers(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::En
    }
}

#[cfg(feature = "ssr")]
pub(super) fn from_headers_ssr(headers: &axum::http::HeaderMap) -> Locale {
    ssr::from_headers(headers)
}

/// Runs `f` (typically in a spawned task, outside the request's context)
/// in the current request's locale.
#[cfg(feature = "ssr")]
pub fn carry<F: std::future::Future>(f: F) -> impl std::future::Future<Output = F::Output> {
    ssr::LOCALE.scope(locale(), f)
}

/// `key` in the current request's locale.
pub fn text(key: &str, args: &[(&'static str, Arg)]) -> String {
    text_in(locale(), key, args)
}

/// `key` in `locale`.
pub fn text_in(locale: Locale, key: &str, args: &[(&'static str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        ssr::lookup(locale, key, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (locale, args);
        key.to_string()
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::borrow::Cow;
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, RwLock};

    use fluent_bundle::FluentValue;
    use fluent_templates::{LanguageIdentifier, Loader};

    use super::{Arg, Locale};

    tokio::task_local! {
        /// The locale of the request a spawned task works for.
        pub(super) static LOCALE: Locale;
    }

    fluent_templates::static_loader! {
        static LOCALES = {
            locales: "./locales",
            fallback_language: "en",
            customise: |bundle| {
                // No Unicode isolation marks around arguments: they would
                // end up inside attributes and copied commands.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(|value, _| group_integer(value)));
            },
        };
    }

    static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| fluent_templates::langid!("en"));
    static ZH_CN: LazyLock<LanguageIdentifier> =
        LazyLock::new(|| fluent_templates::langid!("zh-CN"));

    fn langid(locale: Locale) -> &'static LanguageIdentifier {
        match locale {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }

    /// Whole numbers with thousands separators (1,234: the same in both
    /// our languages); everything else as Fluent writes it.
    fn group_integer(value: &FluentValue) -> Option<String> {
        match value {
            FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
                Some(crate::format::count_signed(n.value as i64))
            }
            _ => None,
        }
    }

    /// Messages without arguments, resolved once per language: a page asks
    /// for about a hundred, and a Fluent lookup allocates and resolves.
    static PLAIN: LazyLock<[RwLock<HashMap<String, Arc<str>>>; 2]> =
        LazyLock::new(|| [RwLock::default(), RwLock::default()]);

    pub fn lookup(locale: Locale, key: &str, args: &[(&'static str, Arg)]) -> String {
        let lang = langid(locale);
        if args.is_empty() {
            let cache = &PLAIN[locale as usize];
            if let Some(hit) = cache.read().unwrap_or_else(|p| p.into_inner()).get(key) {
                return hit.to_string();
            }
            let text = LOCALES.lookup(lang, key);
            cache
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .insert(key.to_string(), Arc::from(text.as_str()));
            return text;
        }
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(s) => FluentValue::from(s.clone()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        LOCALES.lookup_with_args(lang, key, &args)
    }

    /// The `berth_lang` cookie if it names one of our languages, else the
    /// best match for `Accept-Language`.
    pub(super) fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
        let chosen = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| crate::prefs::cookie(h, Locale::COOKIE).and_then(Locale::parse));
        chosen.unwrap_or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Locale::negotiate)
                .unwrap_or_default()
        })
    }
}
