"""What search engines and link previews read: JSON-LD, page links, OG images, sitemap, feed.

Pure functions over plain values; app/web/routes/seo.py and app/web/routes/pages.py call them.
"""
