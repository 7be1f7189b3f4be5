//! The start-up contract, and static checks of the Dockerfile and compose
//! file (no container engine runs here).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_berth");

/// Every setting Berth has, read from its own flag definitions, so a new
/// setting cannot go undocumented.
fn settings() -> Vec<String> {
    use clap::CommandFactory;
    berth::server::config::Config::command()
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect()
}

fn berth(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run berth")
}

#[test]
fn help_lists_every_setting_and_the_readme_documents_them() {
    let out = berth(&["--help"], &[]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let all = settings();
    // A sample the list must hold, so the reading above cannot come back empty.
    for known in [
        "BERTH_REGISTRY_CA",
        "BERTH_REGISTRY_INSECURE",
        "BERTH_CACHE_MB",
        "BERTH_LIST_TTL",
        "BERTH_TOKEN_REALMS",
    ] {
        assert!(
            all.iter().any(|s| s == known),
            "{known} missing from the flags"
        );
    }
    for s in &all {
        assert!(help.contains(s.as_str()), "--help lacks {s}");
        assert!(readme.contains(&format!("`{s}`")), "README lacks {s}");
    }
}

#[test]
fn missing_or_invalid_settings_stop_with_one_clear_line() {
    for (env, names) in [
        (vec![], "BERTH_REGISTRY_URL"),
        (
            vec![("BERTH_REGISTRY_URL", "ftp://x")],
            "BERTH_REGISTRY_URL",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_AUTH", "ldap"),
            ],
            "BERTH_AUTH",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_AUTH", "htpasswd"),
            ],
            "BERTH_HTPASSWD",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_LISTEN", "nope"),
            ],
            "BERTH_LISTEN",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_READ_ONLY", "maybe"),
            ],
            "BERTH_READ_ONLY",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_BASE_PATH", "ui/../x"),
            ],
            "BERTH_BASE_PATH",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_LOG_FORMAT", "xml"),
            ],
            "BERTH_LOG_FORMAT",
        ),
        (
            vec![
                ("BERTH_REGISTRY_URL", "http://r:5000"),
                ("BERTH_METRICS_TOKEN", "short"),
            ],
            "BERTH_METRICS_TOKEN",
        ),
    ] {
        let out = berth(&[], &env);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "one line for {env:?}: {err}");
        assert!(err.contains(names), "{env:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
    }
}

#[test]
fn compose_file_parses_and_sets_only_known_settings() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/compose.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("compose.yaml parses");
    let services = doc["services"].as_mapping().expect("services");
    assert!(services.contains_key("registry") && services.contains_key("berth"));
    assert!(doc["services"]["registry"]["image"]
        .as_str()
        .unwrap()
        .starts_with("registry:2"));
    let env = doc["services"]["berth"]["environment"]
        .as_mapping()
        .expect("berth environment");
    let help = String::from_utf8_lossy(&berth(&["--help"], &[]).stdout).to_string();
    let mut seen = 0;
    for (k, _) in env {
        let k = k.as_str().unwrap();
        if k.starts_with("BERTH_") {
            assert!(
                help.contains(&format!("[env: {k}")),
                "compose sets {k}, which berth does not accept"
            );
            seen += 1;
        }
    }
    assert!(seen >= 3);
    assert_eq!(
        env.get("BERTH_AUTH").and_then(|v| v.as_str()),
        Some("registry")
    );
    // The registry has delete enabled and shares the htpasswd file.
    let reg_env = doc["services"]["registry"]["environment"]
        .as_mapping()
        .expect("registry environment");
    assert_eq!(
        reg_env
            .get("REGISTRY_STORAGE_DELETE_ENABLED")
            .and_then(|v| v.as_str()),
        Some("true")
    );
    assert!(reg_env.get("REGISTRY_AUTH_HTPASSWD_PATH").is_some());

    // The registry's notifications reach Berth's /events with the token
    // Berth expects (one variable for both), and the value is YAML the
    // registry reads as its endpoint list.
    let endpoints = reg_env
        .get("REGISTRY_NOTIFICATIONS_ENDPOINTS")
        .and_then(|v| v.as_str())
        .expect("registry notifications");
    let parsed: serde_yaml::Value = serde_yaml::from_str(endpoints).expect("endpoints parse");
    assert_eq!(parsed[0]["url"].as_str(), Some("http://berth:8080/events"));
    let auth = parsed[0]["headers"]["Authorization"][0].as_str().unwrap();
    assert!(auth.starts_with("Bearer ${BERTH_EVENTS_TOKEN"), "{auth}");
    assert!(env
        .get("BERTH_EVENTS_TOKEN")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.starts_with("${BERTH_EVENTS_TOKEN")));
    // Both services have healthchecks; Berth's is its own subcommand.
    for svc in ["registry", "berth"] {
        assert!(
            doc["services"][svc]["healthcheck"]["test"].is_sequence(),
            "{svc} has no healthcheck"
        );
    }
    assert_eq!(
        doc["services"]["berth"]["healthcheck"]["test"][1].as_str(),
        Some("/app/berth")
    );
    assert!(doc["services"]["berth"]["volumes"][0]
        .as_str()
        .unwrap()
        .starts_with("berth-data:"));
}

#[test]
fn the_ha_compose_file_runs_two_replicas_on_one_postgres_behind_a_proxy() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/compose.ha.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("compose.ha.yaml parses");
    let help = String::from_utf8_lossy(&berth(&["--help"], &[]).stdout).to_string();
    let mut seen = Vec::new();
    for name in ["berth-a", "berth-b"] {
        // The YAML anchor gives both replicas the same settings.
        let env = doc["services"][name]["environment"]
            .as_mapping()
            .unwrap_or_else(|| panic!("{name} environment"));
        for (k, _) in env {
            let k = k.as_str().unwrap();
            assert!(
                help.contains(&format!("[env: {k}")),
                "{name} sets unknown {k}"
            );
        }
        let get = |k: &str| {
            env.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        assert!(
            get("BERTH_DATABASE_URL").starts_with("postgres://"),
            "{name}"
        );
        assert!(
            get("BERTH_SECRET_KEY").starts_with("${BERTH_SECRET_KEY"),
            "{name}"
        );
        seen.push((get("BERTH_DATABASE_URL"), get("BERTH_SECRET_KEY")));
    }
    assert_eq!(
        seen[0], seen[1],
        "replicas must share the database and the key"
    );
    // The proxy reaches both; the registry notifies through the proxy.
    let proxy: Vec<&str> = doc["services"]["proxy"]["command"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(proxy.contains(&"berth-a:8080") && proxy.contains(&"berth-b:8080"));
    let endpoints: serde_yaml::Value = serde_yaml::from_str(
        doc["services"]["registry"]["environment"]["REGISTRY_NOTIFICATIONS_ENDPOINTS"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        endpoints[0]["url"].as_str(),
        Some("http://proxy:8080/events")
    );
    assert!(doc["services"]["postgres"]["healthcheck"]["test"].is_sequence());
}

#[test]
fn the_build_context_leaves_out_build_output() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.dockerignore")).unwrap();
    for must in ["target/", "end2end/node_modules/", "berth-data/"] {
        assert!(
            text.lines().any(|l| l.trim() == must),
            ".dockerignore lacks {must}"
        );
    }
    let docker =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile")).unwrap();
    assert!(docker.contains("HEALTHCHECK") && docker.contains("\"healthcheck\""));
}

#[test]
fn dockerfile_is_multi_stage_non_root_on_8080() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile")).unwrap();
    assert!(
        text.matches("\nFROM ").count() + usize::from(text.starts_with("FROM ")) >= 2,
        "multi-stage"
    );
    assert!(
        text.contains("USER ") && !text.contains("USER root"),
        "non-root"
    );
    assert!(text.contains("BERTH_LISTEN=0.0.0.0:8080") && text.contains("EXPOSE 8080"));
    assert!(text.contains("cargo leptos build --release"));
}

#[test]
fn registry_core_has_no_leptos_import() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/registry");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("leptos") && !text.contains("crate::server"),
                "{} reaches outside the protocol core",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} files checked");
}
