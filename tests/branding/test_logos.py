"""A logo is a PNG, or an SVG that can neither run a script nor fetch anything."""

import pytest
from django.core.exceptions import ValidationError

from branding.logos import MAX_LOGO_BYTES, PNG, SVG, check_logo

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
SAFE_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#00546e"/></linearGradient></defs>'
    b'<style>.a{fill:url(#g)}</style><rect class="a" width="10" height="10" fill="url(#g)"/>'
    b'<use xlink:href="#g"/><text x="1" y="9">Norsj\xc3\xb6</text></svg>'
)


def test_check_logo_accepts_png_and_safe_svg():
    assert check_logo(PNG_BYTES) == PNG
    assert check_logo(SAFE_SVG) == SVG
    assert check_logo(b'\xef\xbb\xbf<svg xmlns="http://www.w3.org/2000/svg"/>') == SVG


@pytest.mark.parametrize(
    "body",
    [
        b"<script>alert(1)</script>",
        b'<script xlink:href="https://evil.example/x.js"/>',
        b'<rect onload="alert(1)" width="1" height="1"/>',
        b'<rect onclick="alert(1)"/>',
        b'<a href="javascript:alert(1)"><rect/></a>',
        b'<a href="https://evil.example/"><rect/></a>',
        b'<image href="https://evil.example/track.png"/>',
        b'<use href="https://evil.example/sprite.svg#a"/>',
        b'<use xlink:href="other.svg#a"/>',
        b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
        b'<style>@import url("https://evil.example/a.css");</style>',
        b"<style>.a{background:url(https://evil.example/a.png)}</style>",
        b'<rect style="fill:url(https://evil.example/a.svg#x)"/>',
        b'<rect fill="url(//evil.example/a.svg#x)"/>',
        b'<iframe src="https://evil.example/"/>',
        b'<set attributeName="href" to="javascript:alert(1)"/>',
        b'<animate attributeName="href" values="https://evil.example"/>',
    ],
)
def test_check_logo_refuses_scripts_and_outside_references(body):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">' + body + b"</svg>"
    with pytest.raises(ValidationError) as excinfo:
        check_logo(svg)
    assert excinfo.value.code == "svg_unsafe"


@pytest.mark.parametrize(
    "svg",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>',
        b'<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/a.css"?><svg/>',
    ],
)
def test_check_logo_refuses_doctype_entities_and_stylesheets(svg):
    with pytest.raises(ValidationError) as excinfo:
        check_logo(svg)
    assert excinfo.value.code == "svg_unsafe"


@pytest.mark.parametrize("data", [b"<svg><rect></svg>", b"<?xml version='1.0'?><html/>"])
def test_check_logo_refuses_broken_svg(data):
    with pytest.raises(ValidationError) as excinfo:
        check_logo(data)
    assert excinfo.value.code == "svg_invalid"


@pytest.mark.parametrize("data", [b"GIF89a......", b"\xff\xd8\xff\xe0JFIF", b"%PDF-1.7", b"hello"])
def test_check_logo_refuses_other_types(data):
    with pytest.raises(ValidationError) as excinfo:
        check_logo(data)
    assert excinfo.value.code == "logo_type"


def test_check_logo_refuses_large_files():
    with pytest.raises(ValidationError) as excinfo:
        check_logo(PNG_BYTES + b"\x00" * MAX_LOGO_BYTES)
    assert excinfo.value.code == "logo_too_large"
