"""The routes, one module per part of the site; each is a leaf (it imports no other route).

pages (index, 五十音 rows, A–Z, tags, search), terms (the term page), demo (the demo page),
embed (frames and oEmbed), seo (robots.txt, sitemap, feeds), images (OG cards, icons),
api (the JSON API), meta (health, API docs). app/main.py mounts them.
"""
