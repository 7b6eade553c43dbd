"""
Markdown to safe HTML for lesson bodies.

Markdown is parsed with raw HTML switched off, then the result goes through nh3 (an allow-list
sanitiser) as well, so a lesson can never carry a script, an event handler or a style.
"""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
_parser.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "del", "blockquote",
    "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text):
    return _sanitise(_parser.render(text or ""))


def markdown_tokens(text):
    """The parsed token stream, for passes that add to it (courses/glossary.py) before rendering."""
    return _parser.parse(text or "")


def render_tokens(tokens):
    """Render a token stream from markdown_tokens, sanitised exactly like render_markdown."""
    return _sanitise(_parser.renderer.render(tokens, _parser.options, {}))


def _sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
