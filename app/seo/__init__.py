"""What search engines and link previews read: JSON-LD, page links, OG images, sitemap, feed.

Pure functions over plain values; app/routes/seo.py and app/routes/pages.py call them.
"""
