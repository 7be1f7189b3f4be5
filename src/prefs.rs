//! The visitor's display preferences, kept in cookies so that the server
//! renders each page the way they chose, with no flash and no JavaScript:
//! the theme (auto follows the system's light or dark setting).

/// The colour theme. `Auto` leaves it to `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const COOKIE: &'static str = "berth_theme";
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// Anything unknown is `Auto`: a cookie is visitor input.
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The switch's label, in the current language.
    pub fn label(self) -> String {
        match self {
            Theme::Auto => crate::t!("theme-auto"),
            Theme::Light => crate::t!("theme-light"),
            Theme::Dark => crate::t!("theme-dark"),
        }
    }

    /// The `data-theme` attribute of `<html>`; none for `Auto`.
    pub fn attr(self) -> Option<&'static str> {
        (self != Theme::Auto).then(|| self.key())
    }
}

/// A cookie's value from a `Cookie` request header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A cookie of the request being rendered.
#[cfg(feature = "ssr")]
fn request_cookie(name: &str) -> Option<String> {
    leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| cookie(h, name).map(str::to_string))
    })
}

/// The username of a failed login, for the form to show again.
pub const LOGIN_USER_COOKIE: &str = "berth_login_user";

/// The username the last failed login typed (server side; empty
/// elsewhere).
pub fn login_username() -> String {
    #[cfg(feature = "ssr")]
    {
        request_cookie(LOGIN_USER_COOKIE)
            .and_then(|v| {
                url::form_urlencoded::parse(format!("u={v}").as_bytes())
                    .next()
                    .map(|(_, u)| u.chars().take(256).collect())
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The theme the current request's cookie chose (server side; `Auto`
/// elsewhere).
pub fn theme() -> Theme {
    #[cfg(feature = "ssr")]
    {
        request_cookie(Theme::COOKIE)
            .map(|v| Theme::parse(&v))
            .unwrap_or(Theme::Auto)
    }
    #[cfg(not(feature = "ssr"))]
    {
        Theme::Auto
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_read_from_cookies_and_unknown_values_are_auto() {
        assert_eq!(cookie("a=1; berth_theme=dark", Theme::COOKIE), Some("dark"));
        assert_eq!(cookie("berth_theme_x=dark", Theme::COOKIE), None);
        assert_eq!(Theme::parse("dark"), Theme::Dark);
        assert_eq!(Theme::parse("light"), Theme::Light);
        assert_eq!(Theme::parse("\"><script>"), Theme::Auto);
        assert_eq!(Theme::Auto.attr(), None);
        assert_eq!(Theme::Dark.attr(), Some("dark"));
    }
}
