//! The admin form's fields to and from a policy. A count left empty is a
//! rule not used; `keep` is comma-separated globs; the tag filter is a
//! glob or a regular expression, naming the tags looked at or left alone.

use super::policy::PolicySpec;
use crate::model::retention::PolicyForm;

/// The form as posted (a urlencoded body's fields).
pub fn from_fields(fields: &[(String, String)]) -> PolicyForm {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    PolicyForm {
        original: get("original"),
        name: get("name"),
        repositories: get("repositories"),
        tags: get("tags"),
        tags_kind: if get("tags_kind") == "regex" {
            "regex".into()
        } else {
            "glob".into()
        },
        tags_exclude: get("tags_exclude") == "on",
        keep_last: get("keep_last"),
        keep_versions: get("keep_versions"),
        keep_days: get("keep_days"),
        keep_pulled_days: get("keep_pulled_days"),
        keep: get("keep"),
        schedule: get("schedule"),
    }
}

fn count(field: &str, value: &str) -> Result<Option<u32>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<u32>()
        .map(Some)
        .map_err(|_| format!("{field}: \"{value}\" is not a whole number"))
}

fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The policy the form describes (checked later, with the file's checks).
pub fn spec_of(form: &PolicyForm) -> Result<PolicySpec, String> {
    let regex = form.tags_kind == "regex";
    Ok(PolicySpec {
        name: form.name.clone(),
        repositories: form.repositories.clone(),
        tags: some(&form.tags).filter(|_| !regex),
        tags_regex: some(&form.tags).filter(|_| regex),
        tags_exclude: form.tags_exclude && !form.tags.is_empty(),
        keep_last: count("keep_last", &form.keep_last)?,
        keep_versions: count("keep_versions", &form.keep_versions)?,
        keep_days: count("keep_days", &form.keep_days)?,
        keep_pulled_days: count("keep_pulled_days", &form.keep_pulled_days)?,
        keep: form
            .keep
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect(),
        schedule: some(&form.schedule),
    })
}

/// The form filled in with a stored policy, to edit it.
pub fn form_of(spec: &PolicySpec) -> PolicyForm {
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    PolicyForm {
        original: spec.name.clone(),
        name: spec.name.clone(),
        repositories: spec.repositories.clone(),
        tags: spec
            .tags
            .clone()
            .or_else(|| spec.tags_regex.clone())
            .unwrap_or_default(),
        tags_kind: if spec.tags_regex.is_some() {
            "regex".into()
        } else {
            "glob".into()
        },
        tags_exclude: spec.tags_exclude,
        keep_last: n(spec.keep_last),
        keep_versions: n(spec.keep_versions),
        keep_days: n(spec.keep_days),
        keep_pulled_days: n(spec.keep_pulled_days),
        keep: spec.keep.join(", "),
        schedule: spec.schedule.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_posted_form_becomes_the_policy_and_back() {
        let form = from_fields(&fields(&[
            ("name", " ci-builds "),
            ("repositories", "team-a/**"),
            ("tags", "main-*"),
            ("tags_kind", "glob"),
            ("keep_last", "10"),
            ("keep_versions", ""),
            ("keep_days", "14"),
            ("keep", "v*, stable,"),
            ("schedule", "0 3 * * *"),
        ]));
        let spec = spec_of(&form).unwrap();
        assert_eq!(spec.name, "ci-builds");
        assert_eq!(spec.tags.as_deref(), Some("main-*"));
        assert_eq!(spec.tags_regex, None);
        assert_eq!(
            (spec.keep_last, spec.keep_versions, spec.keep_days),
            (Some(10), None, Some(14))
        );
        assert_eq!(spec.keep, ["v*", "stable"]);
        assert_eq!(spec.schedule.as_deref(), Some("0 3 * * *"));
        let back = form_of(&spec);
        assert_eq!(back.keep, "v*, stable");
        assert_eq!(spec_of(&back).unwrap(), spec);
    }

    #[test]
    fn a_regex_filter_and_bad_numbers() {
        let mut form = from_fields(&fields(&[
            ("name", "x"),
            ("repositories", "*"),
            ("tags", "^pr-"),
            ("tags_kind", "regex"),
            ("tags_exclude", "on"),
        ]));
        let spec = spec_of(&form).unwrap();
        assert_eq!(
            (spec.tags, spec.tags_regex.as_deref(), spec.tags_exclude),
            (None, Some("^pr-"), true)
        );
        form.keep_days = "two".into();
        assert!(spec_of(&form).unwrap_err().contains("keep_days"));
    }
}
