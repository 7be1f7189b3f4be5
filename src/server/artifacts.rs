//! Artifacts (Helm charts, SBOMs, signatures: a manifest whose config is not
//! an image config): the full view for the tag page, and the one-line label
//! the tag list shows, both from one reading of the manifest.

use oci_spec::image::ImageManifest;

use crate::model::{ArtifactView, HelmChartView, Layer, HELM_LABEL};
use crate::registry::manifest;
use crate::registry::{media_types, Credentials, RegistryClient, RepositoryName};

/// An artifact's facts; a chart's config blob is read for its name and
/// version. A config that cannot be read leaves `helm` empty, never the page.
pub async fn artifact_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    m: &ImageManifest,
    artifact_type: String,
) -> ArtifactView {
    let helm = if manifest::is_helm_chart(m) {
        helm_chart(reg, creds, repo, m).await
    } else {
        None
    };
    let mut annotations: Vec<(String, String)> = m
        .annotations()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    annotations.sort();
    ArtifactView {
        artifact_type,
        config_media_type: m.config().media_type().to_string(),
        helm,
        layers: layers_of(m),
        size: manifest::image_size(m),
        annotations,
        subject: m.subject().as_ref().map(|s| s.digest().to_string()),
    }
}

async fn helm_chart(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    m: &ImageManifest,
) -> Option<HelmChartView> {
    let digest = manifest::config_digest(m).ok()?;
    let c = manifest::parse_helm_config(&reg.blob(creds, repo, &digest).await.ok()?).ok()?;
    Some(HelmChartView {
        name: c.name,
        version: c.version,
        app_version: c.app_version.filter(|v| !v.is_empty()),
        description: c.description.filter(|v| !v.is_empty()),
    })
}

/// "Helm chart web 1.2.0" for a chart, else the artifact type.
pub fn artifact_label(view: &ArtifactView) -> String {
    match &view.helm {
        Some(chart) => format!("{HELM_LABEL} {} {}", chart.name, chart.version),
        None if view.config_media_type == media_types::HELM_CONFIG => HELM_LABEL.into(),
        None => view.artifact_type.clone(),
    }
}

/// The layers of a manifest, as the pages list them.
pub fn layers_of(m: &ImageManifest) -> Vec<Layer> {
    m.layers()
        .iter()
        .map(|l| Layer {
            digest: l.digest().to_string(),
            media_type: l.media_type().to_string(),
            size: l.size(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(config_media_type: &str, helm: Option<HelmChartView>) -> ArtifactView {
        ArtifactView {
            artifact_type: "application/vnd.example+type".into(),
            config_media_type: config_media_type.into(),
            helm,
            layers: Vec::new(),
            size: 0,
            annotations: Vec::new(),
            subject: None,
        }
    }

    #[test]
    fn labels_charts_by_name_and_others_by_type() {
        let chart = HelmChartView {
            name: "web".into(),
            version: "1.2.0".into(),
            app_version: None,
            description: None,
        };
        assert_eq!(
            artifact_label(&view(media_types::HELM_CONFIG, Some(chart))),
            "Helm chart web 1.2.0"
        );
        assert_eq!(
            artifact_label(&view(media_types::HELM_CONFIG, None)),
            "Helm chart"
        );
        assert_eq!(
            artifact_label(&view("application/vnd.oci.empty.v1+json", None)),
            "application/vnd.example+type"
        );
    }
}
