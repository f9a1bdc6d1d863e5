"""URL recognition: a table of real address shapes per platform."""

import pytest
from django.core.exceptions import ValidationError

from registry.platforms import check_platform, recognise

CASES = [
    # pasted address, platform, handle, normalised address
    ("https://www.facebook.com/norsjokommun", "facebook", "norsjokommun", "https://facebook.com/norsjokommun"),
    (
        "http://m.facebook.com/NorsjoKommun/?ref=bookmarks",
        "facebook",
        "norsjokommun",
        "https://facebook.com/norsjokommun",
    ),
    ("facebook.com/norsjokommun/", "facebook", "norsjokommun", "https://facebook.com/norsjokommun"),
    (
        "https://www.facebook.com/profile.php?id=100064512345678&mibextid=ZbWKwL",
        "facebook",
        "100064512345678",
        "https://facebook.com/profile.php?id=100064512345678",
    ),
    (
        "https://www.facebook.com/groups/norsjoforaldrar",
        "facebook",
        "norsjoforaldrar",
        "https://facebook.com/groups/norsjoforaldrar",
    ),
    (
        "https://www.instagram.com/norsjokommun/?igshid=abc",
        "instagram",
        "@norsjokommun",
        "https://instagram.com/norsjokommun",
    ),
    ("https://www.youtube.com/@NorsjoKommun", "youtube", "@norsjokommun", "https://youtube.com/@norsjokommun"),
    (
        "https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL",
        "youtube",
        "UCa1B2c3D4e5F6g7H8i9J0kL",
        "https://youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL",
    ),
    ("https://twitter.com/NorsjoKommun", "x", "@norsjokommun", "https://x.com/norsjokommun"),
    ("https://x.com/norsjokommun?s=21&t=xyz", "x", "@norsjokommun", "https://x.com/norsjokommun"),
    (
        "https://se.linkedin.com/company/norsjo-kommun/",
        "linkedin",
        "norsjo-kommun",
        "https://linkedin.com/company/norsjo-kommun",
    ),
    ("https://www.flickr.com/photos/norsjokommun/", "flickr", "norsjokommun", "https://flickr.com/photos/norsjokommun"),
    ("https://www.tiktok.com/@norsjoungdom?lang=sv", "tiktok", "@norsjoungdom", "https://tiktok.com/@norsjoungdom"),
    ("https://www.threads.net/@norsjokommun", "threads", "@norsjokommun", "https://threads.net/@norsjokommun"),
    ("https://mastodon.social/@Norsjo", "mastodon", "@norsjo@mastodon.social", "https://mastodon.social/@norsjo"),
    (
        "https://norsjobiblioteket.wordpress.com/",
        "blog",
        "norsjobiblioteket",
        "https://norsjobiblioteket.wordpress.com",
    ),
    ("https://forum.norsjo.se/t/snorojning?utm_source=x", "other", "", "https://forum.norsjo.se/t/snorojning"),
    ("HTTPS://WWW.NORSJO.SE:443/", "other", "", "https://norsjo.se"),
]


@pytest.mark.parametrize(("raw", "platform", "handle", "url"), CASES)
def test_recognise_known_shapes(raw, platform, handle, url):
    """Each pasted address yields its platform, handle and one normalised form."""
    recognition = recognise(raw)
    assert (recognition.platform, recognition.handle, recognition.url) == (platform, handle, url)


def test_recognise_same_page_pasted_differently_is_one_address():
    """Case, www, trailing slash and tracking parameters do not make a new channel."""
    variants = [
        "https://www.facebook.com/norsjokommun",
        "http://facebook.com/NorsjoKommun/",
        "https://m.facebook.com/norsjokommun?fbclid=IwAR0",
        "www.facebook.com/norsjokommun#posts",
    ]
    assert len({recognise(v).url for v in variants}) == 1


def test_recognise_post_address_keeps_platform_without_handle():
    """A post rather than an account keeps the platform but no handle."""
    recognition = recognise("https://www.facebook.com/norsjokommun/posts/12345")
    assert recognition.platform == "facebook"
    assert recognition.handle == ""


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("inte en adress", "invalid_url"),
        ("javascript:alert(1)", "invalid_url"),
        ("ftp://facebook.com/norsjo", "invalid_url"),
        ("https://", "invalid_url"),
        ("https://facebook.com:99999/x", "invalid_url"),
        ("https://facebook.com/" + "a" * 600, "too_long"),
    ],
)
def test_recognise_refuses_malformed_addresses(raw, code):
    """Malformed addresses are refused with a coded error, never an exception of another kind."""
    with pytest.raises(ValidationError) as excinfo:
        recognise(raw)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("url", "platform", "agrees"),
    [
        ("https://www.facebook.com/norsjo", "facebook", True),
        ("https://www.facebook.com/norsjo", "instagram", False),
        ("https://www.facebook.com/norsjo", "other", False),
        ("https://www.instagram.com/norsjo", "instagram", True),
        ("https://norsjo.example/forum", "forum", True),
        ("https://norsjo.example/forum", "other", True),
        ("https://norsjo.example/forum", "facebook", False),
        ("https://norsjo.blogspot.com", "blog", True),
        ("https://norsjo.blogspot.com", "youtube", False),
        ("https://mastodon.social/@norsjo", "mastodon", True),
    ],
)
def test_check_platform(url, platform, agrees):
    recognition = recognise(url)
    if agrees:
        check_platform(recognition, platform)
    else:
        with pytest.raises(ValidationError) as excinfo:
            check_platform(recognition, platform)
        assert excinfo.value.code == "platform_mismatch"
