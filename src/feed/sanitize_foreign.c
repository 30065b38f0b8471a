/* Inline SVG and MathML in feed HTML: the drawing and formula elements a post may show, with
 * their case-sensitive names restored. Left out on purpose, because each can run or fetch
 * something: SVG animation (<animate>/<set> can rewrite an href to javascript:), <use> (pulls
 * in other documents), <foreignObject> and MathML's <annotation-xml> (re-enter HTML parsing:
 * the mutation-XSS route), <image>, <script>, <style>, and every event attribute. Pure. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sanitize_int.h"

static const char *const svg_elements[] = {
    "a", "circle", "clipPath", "defs", "desc", "ellipse", "font-face", "font-face-name",
    "font-face-src", "g", "glyph", "hkern", "line", "linearGradient", "marker", "metadata",
    "missing-glyph", "mpath", "path", "polygon", "polyline", "radialGradient", "rect", "stop",
    "svg", "switch", "text", "textPath", "title", "tspan"};

static const char *const svg_attrs[] = {
    "accent-height", "alphabetic", "arabic-form", "ascent", "baseProfile", "bbox", "cap-height",
    "class", "clip-path", "clip-rule", "clipPathUnits", "color", "color-rendering", "cx", "cy",
    "d", "descent", "display", "dx", "dy", "fill", "fill-opacity", "fill-rule", "font-family",
    "font-size", "font-stretch", "font-style", "font-variant", "font-weight", "fx", "fy", "g1",
    "g2", "glyph-name", "gradientTransform", "gradientUnits", "hanging", "height",
    "horiz-adv-x", "horiz-origin-x", "id", "ideographic", "k", "lang", "marker-end",
    "marker-mid", "marker-start", "markerHeight", "markerUnits", "markerWidth", "mathematical",
    "name", "offset", "opacity", "orient", "origin", "overline-position",
    "overline-thickness", "panose-1", "path", "pathLength", "points", "preserveAspectRatio",
    "r", "refX", "refY", "rotate", "rx", "ry", "slope", "spreadMethod", "startOffset", "stemh",
    "stemv", "stop-color", "stop-opacity", "strikethrough-position",
    "strikethrough-thickness", "stroke", "stroke-dasharray", "stroke-dashoffset",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width",
    "style", "systemLanguage", "text-anchor", "textLength", "transform", "u1", "u2",
    "underline-position", "underline-thickness", "unicode", "unicode-range", "units-per-em",
    "version", "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2",
    "xlink:href", "xlink:show", "xlink:title", "xlink:type", "xml:lang", "xml:space", "y",
    "y1", "y2", "zoomAndPan"};

static const char *const math_elements[] = {
    "annotation", "maction", "math", "menclose", "merror", "mfenced", "mfrac", "mi",
    "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot",
    "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd",
    "mtext", "mtr", "munder", "munderover", "none", "semantics"};

static const char *const math_attrs[] = {
    "accent", "accentunder", "actiontype", "align", "close", "columnalign", "columnlines",
    "columnspacing", "columnspan", "depth", "display", "displaystyle", "encoding",
    "equalcolumns", "equalrows", "fence", "fontstyle", "fontweight", "frame", "height",
    "largeop", "linethickness", "lspace", "mathbackground", "mathcolor", "mathsize",
    "mathvariant", "maxsize", "minsize", "movablelimits", "notation", "open", "other",
    "rowalign", "rowlines", "rowspacing", "rowspan", "rspace", "scriptlevel", "selection",
    "separator", "separators", "stretchy", "symmetric", "width", "xlink:href", "xlink:show",
    "xlink:type"};

/* The entry of list equal to name in any case (its spelling is the one to write), or NULL. */
static const char *canonical(const char *name, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcasecmp(list[i], name) == 0) {
            return list[i];
        }
    }
    return NULL;
}

#define CANONICAL(name, list) canonical((name), (list), sizeof(list) / sizeof((list)[0]))

const char *foreign_element(enum foreign ctx, const char *name)
{
    if (strcasecmp(name, "svg") == 0) {
        return "svg";
    }
    if (strcasecmp(name, "math") == 0) {
        return "math";
    }
    return ctx == FOREIGN_SVG    ? CANONICAL(name, svg_elements)
           : ctx == FOREIGN_MATH ? CANONICAL(name, math_elements)
                                 : NULL;
}

enum foreign foreign_context(enum foreign ctx, const char *canonical_name)
{
    return strcmp(canonical_name, "svg") == 0    ? FOREIGN_SVG
           : strcmp(canonical_name, "math") == 0 ? FOREIGN_MATH
                                                 : ctx;
}

const char *foreign_attr(enum foreign ctx, const char *name)
{
    return ctx == FOREIGN_SVG    ? CANONICAL(name, svg_attrs)
           : ctx == FOREIGN_MATH ? CANONICAL(name, math_attrs)
                                 : NULL;
}

bool foreign_value_ok(const char *name, const char *value)
{
    (void)name;
    /* paint, clip, marker and mask references may only name something in the same drawing */
    for (const char *p = value; (p = strcasestr(p, "url")) != NULL; p += 3) {
        const char *q = p + 3;
        while (isspace((unsigned char)*q)) {
            q++;
        }
        if (*q != '(') {
            continue;
        }
        q++;
        while (isspace((unsigned char)*q) || *q == '"' || *q == '\'') {
            q++;
        }
        if (*q != '#') {
            return false;
        }
    }
    return true;
}
