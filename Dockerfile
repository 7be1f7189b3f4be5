# syntax=docker/dockerfile:1
# Build stage: the server binary and the hydrated site (WASM, JS, CSS).
FROM rust:1.95-bookworm AS build
RUN rustup target add wasm32-unknown-unknown \
 && cargo install cargo-leptos --version 0.3.10 --locked \
 && apt-get update && apt-get install -y --no-install-recommends nodejs npm \
 && npm install -g binaryen@132
WORKDIR /src
COPY . .
# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock.
RUN cargo install wasm-bindgen-cli --version "$(grep -A1 'name = "wasm-bindgen"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')" \
 && cargo leptos build --release

# Run stage: a small image, a non-root user.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app berth \
 && mkdir -p /data && chown berth /data
WORKDIR /app
COPY --from=build /src/target/release/berth /app/berth
COPY --from=build /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    BERTH_LISTEN=0.0.0.0:8080 \
    BERTH_DATABASE_URL=sqlite:///data/berth.db \
    RUST_LOG=info
EXPOSE 8080
# The slim image has no curl: Berth asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/app/berth", "healthcheck"]
# Sessions and records (SQLite) and the key that seals stored passwords.
VOLUME /data
USER berth
ENTRYPOINT ["/app/berth"]
