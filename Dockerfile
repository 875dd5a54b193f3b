# 用語集 — a slim image that serves the bundled glossary on port 8000.
#
# The base image is a tag, which moves. At release, pin the digest it has then, e.g.
#   docker buildx imagetools inspect python:3.11-slim-bookworm   # prints "Digest: sha256:…"
# and build with --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:<that digest>
# (or write it below), so that a rebuild gets the same Python and Debian packages.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GLOSSARY_DB=/app/.cache/glossary.sqlite \
    WEB_CONCURRENCY=2 \
    FORWARDED_ALLOW_IPS=127.0.0.1

# Noto Sans CJK JP draws the OG images (app/seo/og.py); the serif faces are not used.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -f /usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY app ./app
COPY templates ./templates
COPY static ./static
COPY data ./data
# uid and gid 10001: deploy/k8s/deployment.yaml runs the pod as these numbers.
RUN groupadd --system --gid 10001 glossary \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home glossary \
    && python -m app build --quiet \
    && chown -R 10001:10001 /app/.cache

USER 10001:10001
EXPOSE 8000
# start-period: a cold start of two workers took 10.3 s in a container; failures in the first
# 30 s do not count.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
# --proxy-headers trusts X-Forwarded-For/-Proto only from FORWARDED_ALLOW_IPS (comma-separated
# addresses or networks): by default none but the container itself. Behind nginx or an ingress,
# set it to the proxy's address or network (deploy/compose.yaml and deploy/k8s do).
CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers \"${WEB_CONCURRENCY}\" --proxy-headers --forwarded-allow-ips \"${FORWARDED_ALLOW_IPS}\""]
