//! A throw-away CA and a server certificate it signed, for HTTPS registries.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

/// The files a TLS registry needs, plus the CA a client must trust.
#[derive(Clone)]
pub struct TlsFiles {
    /// The CA certificate (PEM): what a client adds to its root store.
    pub ca: PathBuf,
    /// The server certificate (PEM), valid for 127.0.0.1 and localhost.
    pub cert: PathBuf,
    /// The server's PKCS#8 private key (PEM).
    pub key: PathBuf,
    /// Keeps a directory made by [`TlsFiles::temp`] alive while in use.
    _dir: Option<Arc<tempfile::TempDir>>,
}

impl TlsFiles {
    /// Writes `ca.pem`, `server.pem` and `server.key` into `dir`.
    pub fn generate(dir: &Path) -> TlsFiles {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Berth test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA cert");

        let server_key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".into()])
            .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "berth test registry");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        // rustls/webpki insist on serverAuth for a server certificate.
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let server_cert = params
            .signed_by(&server_key, &ca_cert, &ca_key)
            .expect("server cert");

        let files = TlsFiles {
            ca: dir.join("ca.pem"),
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
            _dir: None,
        };
        std::fs::write(&files.ca, ca_cert.pem()).expect("write ca.pem");
        std::fs::write(&files.cert, server_cert.pem()).expect("write server.pem");
        std::fs::write(&files.key, server_key.serialize_pem()).expect("write server.key");
        files
    }

    /// Like [`TlsFiles::generate`], in a temp dir that lives as long as any
    /// clone of the result.
    pub fn temp() -> TlsFiles {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut files = TlsFiles::generate(dir.path());
        files._dir = Some(Arc::new(dir));
        files
    }

    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(&self.ca).expect("read ca.pem")
    }

    pub fn ca_certificate(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_pem(&self.ca_pem()).expect("CA PEM")
    }

    /// A client builder that trusts the test CA (on top of the usual roots).
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .add_root_certificate(self.ca_certificate())
    }
}
