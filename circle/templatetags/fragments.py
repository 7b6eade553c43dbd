"""The {% shared %} tag: rendered HTML kept per language and named values (circle/fragments.py)."""

from django import template
from django.core.cache import caches
from django.utils.safestring import mark_safe

from circle.fragments import fragment_key, placeholders, with_response_values

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        if "request" not in context:
            # No request (an email, a test rendering a partial): nothing to share with.
            return self.nodelist.render(context)
        key = fragment_key(self.name, [value.resolve(context) for value in self.values])
        cache = caches["fragments"]
        html = cache.get(key)
        if html is None:
            with context.push(**placeholders()):
                html = str(self.nodelist.render(context))
            cache.set(key, html)
        return mark_safe(with_response_values(html, context))  # noqa: S308


@register.tag
def shared(parser, token):
    """{% shared "name" value ... %}...{% endshared %}: see circle/fragments.py."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            "{% shared %} needs a quoted name first, then the values it varies with."
        )
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    return SharedNode(nodelist, bits[1][1:-1], values)
