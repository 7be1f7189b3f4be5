//! The command that pulls a tag, by what it holds: `docker pull` for
//! images, `helm pull oci://…` for Helm charts, `oras pull` for other
//! artifacts (signatures, SBOMs), which docker cannot pull.

/// What a tag holds, as far as pulling it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Puller {
    Docker,
    Helm,
    Oras,
}

impl Puller {
    /// From an artifact label ("Helm chart web 1.2.0", or a media type);
    /// `None` is an image.
    pub fn of_artifact(label: Option<&str>) -> Self {
        match label {
            None => Puller::Docker,
            Some(l) if l.starts_with(crate::model::HELM_LABEL) => Puller::Helm,
            Some(_) => Puller::Oras,
        }
    }

    /// The command for `host/repo` at a tag.
    pub fn by_tag(self, host: &str, repo: &str, tag: &str) -> String {
        match self {
            Puller::Docker => format!("docker pull {host}/{repo}:{tag}"),
            Puller::Helm => format!("helm pull oci://{host}/{repo} --version {tag}"),
            Puller::Oras => format!("oras pull {host}/{repo}:{tag}"),
        }
    }

    /// The command for `host/repo` at a digest.
    pub fn by_digest(self, host: &str, repo: &str, digest: &str) -> String {
        match self {
            Puller::Docker => format!("docker pull {host}/{repo}@{digest}"),
            Puller::Helm => format!("helm pull oci://{host}/{repo}@{digest}"),
            Puller::Oras => format!("oras pull {host}/{repo}@{digest}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_get_helm_other_artifacts_oras_and_images_docker() {
        let chart = Puller::of_artifact(Some("Helm chart web 1.2.0"));
        assert_eq!(
            chart.by_tag("reg:5000", "charts/web", "1.2.0"),
            "helm pull oci://reg:5000/charts/web --version 1.2.0"
        );
        let sbom = Puller::of_artifact(Some("application/spdx+json"));
        assert_eq!(
            sbom.by_digest("reg", "a", "sha256:1"),
            "oras pull reg/a@sha256:1"
        );
        let image = Puller::of_artifact(None);
        assert_eq!(image.by_tag("reg", "a", "v1"), "docker pull reg/a:v1");
    }
}
