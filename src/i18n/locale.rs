//! The languages Berth speaks, and how a request's language is chosen.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    pub const COOKIE: &'static str = "berth_lang";
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// The BCP 47 tag: the `lang` attribute, the cookie value and the
    /// directory under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// A tag from a cookie or a query (visitor input): exact tags and the
    /// common spellings of Simplified Chinese; anything else is `None`.
    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" | "zh-sg" => Some(Locale::ZhCn),
            _ => None,
        }
    }

    /// The best of our languages for an `Accept-Language` header; English
    /// when the header asks for none of them.
    #[cfg(feature = "ssr")]
    pub fn negotiate(accept_language: &str) -> Locale {
        use fluent_langneg::{negotiate_languages, NegotiationStrategy};
        use fluent_templates::LanguageIdentifier;
        let requested = fluent_langneg::accepted_languages::parse(accept_language);
        // Traditional Chinese is not Simplified Chinese: only zh, zh-CN,
        // zh-SG and zh-Hans match ours.
        let requested: Vec<LanguageIdentifier> = requested
            .into_iter()
            .filter(|l| {
                l.language.as_str() != "zh"
                    || Locale::parse(&l.to_string()).is_some()
                    || l.script.is_some_and(|s| s.as_str() == "Hans")
            })
            .collect();
        let available: Vec<LanguageIdentifier> = Locale::ALL
            .iter()
            .filter_map(|l| l.tag().parse().ok())
            .collect();
        let chosen =
            negotiate_languages(&requested, &available, None, NegotiationStrategy::Filtering);
        chosen
            .first()
            .and_then(|l| Locale::parse(&l.to_string()))
            .unwrap_or_default()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Locale;

    #[test]
    fn accept_language_picks_our_best_match() {
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("en-US,en;q=0.9,zh-CN;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("zh"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("zh-Hans-CN"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("de-DE,fr;q=0.5"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!(Locale::negotiate("fr;q=0.9, zh-CN;q=0.5"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("zh-TW"), Locale::En);
    }

    #[test]
    fn cookie_values_are_checked() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("\"><script>"), None);
    }
}
