//! Languages. Every string the UI shows is a Fluent message in
//! `locales/<lang>/*.ftl`, looked up on the server in the request's locale
//! (the `berth_lang` cookie, else `Accept-Language`). Islands run in the
//! browser without the translations, so they get their strings as props.

#[cfg(all(test, feature = "ssr"))]
mod coverage;
mod fmt;
mod locale;
mod text;

pub use fmt::Fmt;
pub use locale::Locale;
#[cfg(feature = "ssr")]
pub use text::carry;
pub use text::{locale, text, text_in, Arg};

/// The locale a request asks for: the `berth_lang` cookie, else
/// `Accept-Language` (for handlers outside Leptos, such as the login form).
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
    text::from_headers_ssr(headers)
}

/// A translated string in the current request's locale:
/// `t!("tags-count", n = 12)`. Keys are literals so that a test can check
/// every key used in the code exists in every language.
#[macro_export]
macro_rules! t {
    ($key:literal) => {
        $crate::i18n::text($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text($key, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}
