# 用語集 — a slim image that serves the bundled glossary on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GLOSSARY_DB=/app/.cache/glossary.sqlite \
    WEB_CONCURRENCY=2

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
RUN useradd --system --uid 10001 --home-dir /app glossary \
    && python -m app build --quiet \
    && chown -R glossary:glossary /app/.cache

USER glossary
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY} --proxy-headers"]
